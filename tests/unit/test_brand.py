"""An organisation's brand in an invitation (app/brand.py, docs/branding.md): the sample branded
invitation read and written back, every rule of the strict reading against hostile brands
(SVG with scripts, handlers, links, entities, outside references; fake PNGs; colours that are
not hex), and the HTML and PDF reports showing the brand."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest

from techcheck.app import brand, invitation
from techcheck.app.report import html, pdf
from tests import report_samples as samples
from tests.conftest import ROOT
from tests.unit.test_report_render import assert_self_contained, parse

SAMPLE = ROOT / "docs" / "examples" / "branded-invitation.toml"
LOGO = ROOT / "docs" / "examples" / "acme-logo.svg"
PNG = ROOT / "resources" / "icons" / "techcheck-48.png"


def uri(data: bytes, kind: str = "image/svg+xml") -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def table(**over) -> dict:
    return {"name": "Acme Robotics", "accent": "#0A5CAD", "welcome": "Welcome!",
            "logo": uri(LOGO.read_bytes()), **over}


def test_the_sample_branded_invitation():
    inv = invitation.load(SAMPLE)
    b = inv.brand
    assert b is not None and b.name == "Acme Robotics" and b.accent == "#0a5cad"
    assert b.welcome.startswith("Welcome, and thank you") and b.logo == LOGO.read_bytes()
    assert b.logo_type == "image/svg+xml" and b.logo_uri.startswith("data:image/svg+xml;base64,")
    # written back by TechCheck (techcheck invite) and read again: the same brand
    again = invitation.parse(inv.to_toml())
    assert again.brand == b
    assert inv.to_report()["brand"] == b.to_dict()
    png = brand.from_dict(table(logo=uri(PNG.read_bytes(), "image/png"), accent=""))
    assert png.logo_type == "image/png" and png.text_colour == "#1f2328"


def test_colours_and_contrast():
    assert brand.from_dict(table(accent="#0a5cad")).text_colour == "#0a5cad"  # 6.7:1 on white
    pale = brand.from_dict(table(accent="#ffe14d"))
    assert pale.accent == "#ffe14d" and pale.text_colour == "#1f2328"  # 1.3:1: not for words
    assert brand.contrast_on_white("#000000") == pytest.approx(21.0)
    for bad in ("0a5cad", "#0a5cad80", "#abc", "red", "#0a5cag", "rgb(1,2,3)",
                "#0a5cad; background: url(x)"):
        with pytest.raises(brand.BrandError, match="'accent' must be a colour"):
            brand.from_dict(table(accent=bad))


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
HOSTILE_SVG = {
    "script": (SVG_HEAD + "<script>alert(1)</script></svg>", "<script>"),
    "event handler": (SVG_HEAD + '<rect onload="alert(1)"/></svg>', "event handler"),
    "link": (SVG_HEAD + '<a href="https://evil.example/"><rect/></a></svg>', "<a>"),
    "external image": (SVG_HEAD + '<image href="https://evil.example/x.png"/></svg>', "<image>"),
    "use elsewhere": (SVG_HEAD + '<use xlink:href="https://evil.example/s.svg#a"/></svg>',
                      "outside itself"),
    "css url": (SVG_HEAD + '<rect style="fill: url(https://evil.example/t)"/></svg>',
                "outside itself"),
    "css import": (SVG_HEAD + "<style>@import url(https://evil.example/c.css);</style></svg>",
                   "active content"),
    "foreign object": (SVG_HEAD + "<foreignObject><p xmlns='http://www.w3.org/1999/xhtml'>x"
                       "</p></foreignObject></svg>", "foreignObject"),
    "animation": (SVG_HEAD + '<set attributeName="href" to="javascript:alert(1)"/></svg>',
                  "<set>"),
    "entities": ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
                 '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + SVG_HEAD + "&b;</svg>",
                 "DOCTYPE"),
    "external entity": ('<!DOCTYPE svg SYSTEM "file:///etc/passwd">' + SVG_HEAD + "</svg>",
                        "DOCTYPE"),
    "stylesheet": ('<?xml-stylesheet href="https://evil.example/s.css"?>' + SVG_HEAD
                   + "</svg>", "processing instruction"),
    "html": ("<html><body><script>alert(1)</script></body></html>", "not an SVG picture"),
    "no namespace": ("<svg><rect/></svg>", "not an SVG picture"),
    "broken": (SVG_HEAD + "<rect></svg>", "not valid SVG"),
    "javascript url": (SVG_HEAD + '<rect fill="javascript:alert(1)"/></svg>', "active content"),
    # issue 21 item 3: what is drawn, not what is written, is counted
    "nested use": (SVG_HEAD + '<defs><rect id="l0" width="1" height="1"/>'
                   + "".join(f'<g id="l{i}">' + f'<use xlink:href="#l{i - 1}"/>' * 10 + "</g>"
                             for i in range(1, 8)) + '</defs><use xlink:href="#l7"/></svg>',
                   "more than 2000 SVG elements once its <use> references are drawn"),
    "use loop": (SVG_HEAD + '<g id="a"><use xlink:href="#a"/></g></svg>', "refers to itself"),
    "url loop": (SVG_HEAD + '<pattern id="p"><rect fill="url(#p)"/></pattern></svg>',
                 "refers to itself"),
    "one path used 990 times": (
        SVG_HEAD + '<defs><path id="p" d="M0 0 ' + " ".join(f"L{i % 100} {i % 40}"
                                                           for i in range(3000))
        + '"/></defs>' + '<use xlink:href="#p"/>' * 990 + "</svg>",
        "more than 100,000 points of paths"),
    "marker": (SVG_HEAD + '<marker id="m"><circle r="1"/></marker>'
               '<path d="M0 0 L1 1 L2 0" marker-mid="url(#m)"/></svg>', "<marker>"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_SVG))
def test_hostile_svg_logos_are_refused(name):
    svg, why = HOSTILE_SVG[name]
    with pytest.raises(brand.BrandError) as err:
        brand.from_dict(table(logo=uri(svg.encode())))
    assert why in str(err.value) and str(err.value).startswith("brand: 'logo' ")


def test_svg_references_inside_the_picture_are_fine():
    svg = (SVG_HEAD + '<defs><linearGradient id="g"/><path id="p" d="M0 0h4"/></defs>'
           '<rect fill="url(#g)" style="stroke: url(#g)"/><use xlink:href="#p"/>'
           "<style>rect { fill: url('#g') }</style></svg>")
    assert brand.from_dict(table(logo=uri(svg.encode()))).logo == svg.encode()


def test_other_bad_brands():
    png = PNG.read_bytes()
    huge_png = png[:16] + (5000).to_bytes(4, "big") + png[20:]
    cases = {
        "not a PNG": table(logo=uri(b"GIF89a....", "image/png")),
        "5000×48 pixels": table(logo=uri(huge_png, "image/png")),
        "must be data:image/png": table(logo="https://evil.example/logo.png"),
        "must be data:image/png;base64": table(logo=uri(b"<svg/>", "image/svg")),
        "not valid base64": table(logo="data:image/png;base64,AAAAA"),
        "is too large": table(logo=uri(SVG_HEAD.encode() + b" " * 60_000 + b"</svg>")),
        "'name' is missing": {"accent": "#000000"},
        "'name' is too long": table(name="A" * 81),
        "'name' contains control characters": table(name="Acme\u202egnp.exe"),
        "'name' contains control": table(name="Acme\x9b31m"),  # C1 (issue 21)
        " 'name' contains control characters": table(name="Acme\u2028Corp"),
        "'welcome' contains control characters": table(welcome="Hi\ufeff there\u061c"),
        "'welcome' is too long": table(welcome="w" * 301),
        "unknown key 'script'": table(script="x"),
        "'logo' must be text": table(logo=["x"]),
        "must be a table": "Acme",
    }
    for why, data in cases.items():
        with pytest.raises(brand.BrandError, match=why):
            brand.from_dict(data)


def test_an_invitation_with_a_bad_brand_is_refused_whole(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace('accent = "#0a5cad"', 'accent = "blue"')
    bad = tmp_path / "bad-brand.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(invitation.InvitationError,
                       match=r"bad-brand.toml: \[brand\]: 'accent' must be a colour"):
        invitation.load(bad)


def branded_report():
    return samples.report(extra={"invitation": invitation.load(SAMPLE).to_report()})


def test_html_report_shows_the_brand(artifacts: Path):
    doc = html.render(branded_report(), "en")
    (artifacts / "report-branded-en.html").write_text(doc, encoding="utf-8")
    tree = parse(doc)
    assert_self_contained(doc, tree)
    logo = [a for a in tree.attrs_of("img") if "brand-logo" in (a.get("class") or "")]
    assert len(logo) == 1 and logo[0]["alt"] == "Acme Robotics"
    assert logo[0]["src"] == uri(LOGO.read_bytes())
    body = " ".join(tree.text)
    assert "Acme Robotics" in body and "A two-minute check now" in body
    assert "--accent: #0a5cad; --accent-text: #0a5cad;" in doc
    assert tree.classes("branded")  # the masthead's rule in the brand's colour
    # without a brand, nothing of it
    plain = html.render(samples.report(), "en")
    assert 'class="brand-org"' not in plain and "--accent:" not in plain


def test_a_tampered_report_shows_no_brand():
    """A report file edited after the run (techcheck report FILE.json) is checked again."""
    r = branded_report()
    r.extra["invitation"]["brand"]["logo"] = uri(HOSTILE_SVG["script"][0].encode())
    doc = html.render(r, "en")
    assert 'class="brand-org"' not in doc and "Acme Robotics</span>" not in doc


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_report_shows_the_brand(tmp_path: Path, artifacts: Path):
    path = tmp_path / "branded.pdf"
    path.write_bytes(pdf.render(branded_report(), "en"))
    shutil.copy(path, artifacts / "report-branded-en.pdf")
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert first.index("Acme Robotics") < first.index("TECHCHECK")
    assert "A two-minute check now" in " ".join(first.split())
    # the logo is drawn as vector paths (fpdf2's SVG), so the page's top left is not blank
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(path), str(png)],
                   check=True)
    from PySide6.QtGui import QImage

    img = QImage(str(next(tmp_path.glob("page*.png"))))
    x0, y0 = int(img.width() * 16 / 210), int(img.height() * 14 / 297)  # the page margins
    blues = [img.pixelColor(x, y) for x in range(x0, x0 + 20) for y in range(y0, y0 + 20)]
    assert any(c.blue() > 150 and c.red() < 80 for c in blues)  # the logo's #0a5cad square


def test_the_json_report_with_a_brand_follows_its_schema():
    import json

    import jsonschema

    schema = json.loads((ROOT / "resources" / "schemas" / "report-1.schema.json").read_text())
    r = branded_report()
    jsonschema.validate(r.to_dict(), schema)
    assert r.to_dict()["invitation"]["brand"]["accent"] == "#0a5cad"
    r.extra["invitation"]["brand"]["accent"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(r.to_dict(), schema)


def _profile_file(tmp_path: Path, **brand_over) -> Path:
    b = {**table(accent="#0A5CAD"), **brand_over}
    lines = ['[profile]', 'name = "acme"', 'title = "Acme Robotics interviews"',
             'extends = "teams"', "", "[brand]", *(f'{k} = "{v}"' for k, v in b.items())]
    path = tmp_path / "acme-profile.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_an_organisations_own_profile_brands_the_report(tmp_path: Path, cli):
    """`techcheck run --profile acme.toml`: the profile's brand in the report, checked and in
    its normal form (lower-case colour), rendered in the HTML; a bad one stops the run."""
    import json

    import jsonschema

    out, page = tmp_path / "r.json", tmp_path / "r.html"
    res = cli("run", "--only", "system", "--profile", str(_profile_file(tmp_path)), "--json",
              str(out), "--html", str(page), "--yes", "--no-history", timeout=180)
    assert out.exists(), res.stderr[-2000:]
    data = json.loads(out.read_text("utf-8"))
    assert data["profile"]["brand"]["accent"] == "#0a5cad"
    assert data["profile"]["brand"]["logo"] == uri(LOGO.read_bytes())
    jsonschema.validate(data, json.loads(
        (ROOT / "resources" / "schemas" / "report-1.schema.json").read_text("utf-8")))
    doc = page.read_text("utf-8")
    assert 'class="brand-org"' in doc and "--accent: #0a5cad" in doc
    bad = cli("run", "--only", "system", "--profile",
              str(_profile_file(tmp_path, logo=uri(HOSTILE_SVG["script"][0].encode()))),
              "--json", str(tmp_path / "bad.json"), "--yes", "--no-history")
    assert bad.returncode == 3 and not (tmp_path / "bad.json").exists()
    assert "cannot use the profile: acme-profile.toml: [brand]: 'logo' has a <script>" \
        in bad.stderr


# --- issue 21 item 8: the PDF's logo stays in its box ----------------------------------------

#: A logo whose picture reaches far outside its viewBox: a green field over the whole page and
#: a "Verified ready" bar where the title and the What-to-fix list are.
OVERFLOW_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 11">'
                '<rect x="-5000" y="-5000" width="10000" height="10000" fill="#00ff00"/>'
                '<rect x="0" y="20" width="170" height="12" fill="#00ff00"/>'
                '<text x="4" y="29" fill="#ffffff">Verified ready</text></svg>')
WIDE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000000 1">'
            '<rect width="1000000" height="1" fill="#00ff00"/></svg>')


def _pdf_page(tmp_path: Path, svg: str):
    from PySide6.QtGui import QImage

    report = branded_report()
    report.extra["invitation"]["brand"]["logo"] = uri(svg.encode())
    path = tmp_path / "logo.pdf"
    path.write_bytes(pdf.render(report, "en"))
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(path),
                    str(tmp_path / "page")], check=True)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return QImage(str(next(tmp_path.glob("page*.png")))), text


def _green_outside_the_logo_box(img) -> int:
    """Pixels of the logo's green outside its box (the page's left margin, 16 mm, to 16 + 44
    mm; from the top margin, 14 mm, 11 mm high), in page millimetres."""
    mm_x, mm_y = img.width() / 210, img.height() / 297
    box = (16 * mm_x - 2, 14 * mm_y - 2, (16 + 44) * mm_x + 2, (14 + 11) * mm_y + 2)
    count = 0
    for y in range(0, img.height(), 2):
        for x in range(0, img.width(), 2):
            if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                continue
            c = img.pixelColor(x, y)
            count += c.green() > 200 and c.red() < 60 and c.blue() < 60
    return count


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("svg", [OVERFLOW_SVG, WIDE_SVG], ids=["overflow", "wide"])
def test_the_pdf_logo_is_clipped_to_its_box(svg, tmp_path: Path):
    img, text = _pdf_page(tmp_path, svg)
    assert _green_outside_the_logo_box(img) == 0
    assert "Acme Robotics" in text
    if svg is WIDE_SVG:
        return  # fitted to 44 mm wide it is 44 nm high: nothing to see, and nothing outside
    mm_x, mm_y = img.width() / 210, img.height() / 297
    inside = [img.pixelColor(int(x * mm_x), int(y * mm_y)) for x in range(17, 20)
              for y in range(15, 24)]
    assert any(c.green() > 200 and c.red() < 60 for c in inside)  # the logo is still drawn
