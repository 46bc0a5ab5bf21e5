"""The PAC engines' platform parts that this Linux machine cannot run for real: the marshalling
of the WinHTTP and CFNetwork calls (structures, arguments, who releases what), through stand-in
library functions (the boundary here is "no Windows, no macOS"); the conversion of their
results to PAC answers; the Windows job-object limits; and the fallback to pacparser when the
system engine is missing, with the modules imported as on Windows and macOS."""

from __future__ import annotations

import ctypes
import subprocess
import sys
import textwrap

import pytest

from techcheck.checks import pacengine as pe

BITS64 = ctypes.sizeof(ctypes.c_void_p) == 8


@pytest.mark.skipif(not BITS64, reason="the layouts checked are the 64-bit ones")
def test_structure_layouts_match_the_windows_headers():
    # x64 layouts from winhttp.h and winnt.h: pointers 8-aligned, DWORDs 4.
    assert ctypes.sizeof(pe.AutoProxyOptions) == 32
    assert pe.AutoProxyOptions.lpszAutoConfigUrl.offset == 8
    assert pe.AutoProxyOptions.fAutoLogonIfChallenged.offset == 28
    assert ctypes.sizeof(pe.ProxyInfo) == 24 and pe.ProxyInfo.lpszProxy.offset == 8
    assert ctypes.sizeof(pe._BasicLimits) == 64
    assert ctypes.sizeof(pe._ExtendedLimits) == 144
    assert pe._ExtendedLimits.ProcessMemoryLimit.offset == 112
    info = pe.job_limits(300 * 2**20)
    assert info.BasicLimitInformation.LimitFlags == pe.JOB_OBJECT_LIMIT_PROCESS_MEMORY
    assert info.ProcessMemoryLimit == 300 * 2**20


class _Fn:
    """A stand-in DLL function: records its calls; argtypes/restype can be set on it."""

    def __init__(self, body):
        self.body, self.calls = body, []

    def __call__(self, *args):
        self.calls.append(args)
        return self.body(*args)


class _Lib:
    def __init__(self, **functions):
        for name, body in functions.items():
            setattr(self, name, _Fn(body))


def _fake_winhttp(answer: str | None, access: int = pe.WINHTTP_ACCESS_TYPE_NAMED_PROXY,
                  ok: bool = True):
    """WinHTTP and kernel32 stand-ins: WinHttpGetProxyForUrl fills WINHTTP_PROXY_INFO with a
    string it allocated, as the real one does with GlobalAlloc."""
    keep = []

    def get_proxy(session, url, options_ref, info_ref):
        if not ok:
            return 0
        info = info_ref._obj
        info.dwAccessType = access
        if answer is not None:
            buf = ctypes.create_unicode_buffer(answer)
            keep.append(buf)
            info.lpszProxy = ctypes.addressof(buf)
        return 1

    winhttp = _Lib(WinHttpOpen=lambda *a: 0x1234, WinHttpGetProxyForUrl=get_proxy,
                   WinHttpCloseHandle=lambda h: 1)
    kernel32 = _Lib(GlobalFree=lambda p: None)
    return winhttp, kernel32


def test_winhttp_call_is_marshalled_as_winhttp_h_says():
    winhttp, kernel32 = _fake_winhttp("proxy.corp.example:8080;backup.corp.example:3128")
    got = pe.winhttp_find("http://wpad.corp.example/proxy.pac", "https://teams.microsoft.com/",
                          winhttp, kernel32)
    assert got == "PROXY proxy.corp.example:8080; PROXY backup.corp.example:3128"
    # The session goes nowhere itself, the PAC URL and the real endpoint are passed as given,
    # and WinHTTP may sign in to the PAC server with the Windows login.
    assert winhttp.WinHttpOpen.calls == [("TechCheck", pe.WINHTTP_ACCESS_TYPE_NO_PROXY, None,
                                          None, 0)]
    session, url, options_ref, _info = winhttp.WinHttpGetProxyForUrl.calls[0]
    options = options_ref._obj
    assert (session, url) == (0x1234, "https://teams.microsoft.com/")
    assert options.dwFlags == pe.WINHTTP_AUTOPROXY_CONFIG_URL
    assert options.lpszAutoConfigUrl == "http://wpad.corp.example/proxy.pac"
    assert options.fAutoLogonIfChallenged == 1 and options.dwAutoDetectFlags == 0
    assert winhttp.WinHttpGetProxyForUrl.argtypes[2]._type_ is pe.AutoProxyOptions
    assert len(kernel32.GlobalFree.calls) == 1  # the string WinHTTP allocated is freed
    assert winhttp.WinHttpCloseHandle.calls == [(0x1234,)]


def test_winhttp_direct_failure_and_unfetchable_urls():
    winhttp, kernel32 = _fake_winhttp(None, access=pe.WINHTTP_ACCESS_TYPE_NO_PROXY)
    assert pe.winhttp_find("https://pac/x.pac", "https://a/", winhttp, kernel32) == "DIRECT"
    winhttp, kernel32 = _fake_winhttp(None, ok=False)
    assert pe.winhttp_find("https://pac/x.pac", "https://a/", winhttp, kernel32) is None
    assert winhttp.WinHttpCloseHandle.calls  # closed on failure too
    # WinHTTP fetches only http(s): a file is left to pacparser, without calling WinHTTP.
    winhttp, kernel32 = _fake_winhttp("x:1")
    assert pe.winhttp_find("file:///C:/proxy.pac", "https://a/", winhttp, kernel32) is None
    assert winhttp.WinHttpOpen.calls == []
    assert pe.winhttp_find("http://pac/x.pac", "https://a/") is None  # not Windows


def test_winhttp_and_cfnetwork_answers_in_pac_form():
    assert pe.winhttp_answer(pe.WINHTTP_ACCESS_TYPE_NAMED_PROXY, "a:1 b:2;DIRECT") == \
        "PROXY a:1; PROXY b:2; DIRECT"
    assert pe.winhttp_answer(pe.WINHTTP_ACCESS_TYPE_NAMED_PROXY, "socks=s:1080") == \
        "SOCKS s:1080"
    assert pe.winhttp_answer(pe.WINHTTP_ACCESS_TYPE_NO_PROXY, "ignored:1") == "DIRECT"
    assert pe.cfnetwork_answer([("https", "p.corp", 8080), ("socks", "s.corp", 1080),
                                ("none", "", None)]) == "PROXY p.corp:8080; SOCKS s.corp:1080; DIRECT"
    assert pe.cfnetwork_answer([("other", "ftp.corp", 21)]) == "DIRECT"
    assert pe.cfnetwork_find("function FindProxyForURL(u, h) {}", "https://a/") is None


@pytest.mark.slow
@pytest.mark.parametrize("system", ["win32", "darwin"])
def test_modules_import_and_fall_back_to_pacparser_as_on_other_systems(system):
    """With sys.platform set to Windows or macOS and the POSIX-only modules hidden, the
    modules import, the system engine is found missing (no WinHTTP or CFNetwork here) and
    pacparser answers."""
    code = textwrap.dedent(f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name in ("resource", "fcntl", "termios", "pwd", "grp"):
                    raise ImportError(name)
        sys.meta_path.insert(0, Block())
        import asyncio, multiprocessing, ssl, urllib.request  # the standard library: real platform
        sys.platform = {system!r}
        from techcheck.checks import pacengine
        from techcheck.checks.network import pac
        pacengine.limit_memory(64 * 2**20)
        job = {{"text": 'function FindProxyForURL(u, h) {{ return "PROXY p:1"; }}',
               "pac_url": "http://pac.example/x.pac", "pairs": [["https://a/", "a"]],
               "my_ip": "10.0.0.1", "hosts": None}}
        print(pacengine.evaluate(job))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "{'engine': 'pacparser', 'answers': {'https://a/': " \
                                 "['PROXY p:1', '']}}"


class _FakeCF:
    """CoreFoundation and CFNetwork stand-ins: CF objects are integers naming Python values;
    CFNetworkCopyProxiesForAutoConfigurationScript answers from ``proxies``."""

    def __init__(self, proxies: list[dict[str, object]]):
        self.objects: dict[int, object] = {}
        self.released: list[int] = []
        self.asked: list[tuple[str, str]] = []
        consts = ("kCFProxyTypeKey", "kCFProxyHostNameKey", "kCFProxyPortNumberKey",
                  "kCFProxyTypeNone", "kCFProxyTypeHTTP", "kCFProxyTypeHTTPS", "kCFProxyTypeSOCKS")
        self.constants = {name: self.new(name) for name in consts}

        def string(_alloc, data, encoding):
            assert encoding == pe.kCFStringEncodingUTF8 and isinstance(data, bytes)
            return self.new(data.decode("utf-8"))

        def url(_alloc, ref, _base):
            return self.new(("url", self.objects[ref]))

        def copy_proxies(script, target, error_ref):
            self.asked.append((self.objects[script], self.objects[target][1]))
            assert error_ref._obj.value is None  # a CFErrorRef* the callee may fill
            items = [self.new({self.constants[k]: (self.constants[v] if k == "kCFProxyTypeKey"
                                                   else self.new(v))
                               for k, v in p.items()}) for p in proxies]
            return self.new(items)

        def get_string(ref, buf, size, encoding):
            data = self.objects[ref].encode("utf-8")
            assert size == len(buf) and len(data) < size
            buf.value = data
            return True

        def get_number(ref, kind, out_ref):
            assert kind == pe.kCFNumberSInt32Type
            out_ref._obj.value = self.objects[ref]
            return True

        self.cf = _Lib(CFStringCreateWithCString=string, CFURLCreateWithString=url,
                       CFArrayGetCount=lambda a: len(self.objects[a]),
                       CFArrayGetValueAtIndex=lambda a, i: self.objects[a][i],
                       CFDictionaryGetValue=lambda d, k: self.objects[d].get(k, 0),
                       CFEqual=lambda a, b: a == b, CFStringGetCString=get_string,
                       CFNumberGetValue=get_number, CFRelease=self.released.append)
        self.cfn = _Lib(CFNetworkCopyProxiesForAutoConfigurationScript=copy_proxies)

    def new(self, value) -> int:
        ref = 0x1000 + len(self.objects)
        self.objects[ref] = value
        return ref


def test_cfnetwork_call_is_marshalled_as_cfproxysupport_h_says():
    fake = _FakeCF([{"kCFProxyTypeKey": "kCFProxyTypeHTTPS", "kCFProxyHostNameKey": "p.corp",
                     "kCFProxyPortNumberKey": 8080},
                    {"kCFProxyTypeKey": "kCFProxyTypeNone"}])
    text = 'function FindProxyForURL(u, h) { return "PROXY p.corp:8080; DIRECT"; } // ö'
    got = pe.cfnetwork_find(text, "https://teams.microsoft.com/", fake.cf, fake.cfn,
                            fake.constants.__getitem__)
    assert got == "PROXY p.corp:8080; DIRECT"
    # the file's text (UTF-8) and the real endpoint's URL, as CFString and CFURL
    assert fake.asked == [(text, "https://teams.microsoft.com/")]
    fn = fake.cfn.CFNetworkCopyProxiesForAutoConfigurationScript
    assert fn.argtypes[2]._type_ is ctypes.c_void_p and fn.restype is ctypes.c_void_p
    # every object TechCheck created or was given (Create/Copy rule) is released: the two
    # strings, the URL and the array of proxies
    assert len(fake.released) == 4


def test_cfnetwork_failure_falls_back():
    fake = _FakeCF([])
    fake.cfn.CFNetworkCopyProxiesForAutoConfigurationScript.body = lambda *a: 0  # NULL
    assert pe.cfnetwork_find("x", "https://a/", fake.cf, fake.cfn,
                             fake.constants.__getitem__) is None
    assert len(fake.released) == 3  # still releases what it made
