/**
The original template was created by Sam Gleske
This author and license block must stay intact for use even if this script is 
modified!

License:
This file falls under the MIT Licence 
http://www.opensource.org/licenses/mit-license.php
Take responsibility for your own actions.

Generated using Python and predefined proxy lists!
http://sourceforge.net/projects/webtechtools/files/Proxy%20wpad.dat%20Generator/
**/
// (TechCheck corpus: the long documentation comment block of the original is left out here.)

//Enables console logging (true/false, default true)
var ENABLE_LOGGING=true;
//Enable friendly excludes (true/false, default true)
var ENABLE_EXCLUDES=true;
//User defined Protocol excludes (array)
var protocol_excludes=[];
//User defined IP excludes (array)
var ip_excludes=[];
//User defined Domain excludes (array)
var domain_excludes=[];
//Enable predefined proxy list (true/false, default true)
var ENABLE_PREDEFINED_PROXY_LIST=true;
//User defined proxy list (array)
var proxylist=[];

//Custom defined functions for cleaner processing
function exclude(source,rules)
{
	try
	{
		for(var i=0;i<rules.length;i++)
			if(shExpMatch( source, rules[i]))
				return true;
		return false;
	}
	catch(e)
	{
		if(ENABLE_LOGGING)
			alert("An exception has been encountered!\n" + source + "\n" + rules);
		return false;
	}
}

//Initialization Function
function FindProxyForURL(url, host) 
{
	//These are my personal excludes just in case I accidently go to a login site with this proxy enabled
	if(ENABLE_EXCLUDES)
	{
		ip_excludes=[
			"192.168.*", //local router network
			"127.*", //loopback or localhost
			"144.118.*", //Drexel University
			"74.125.*", //Google
			"67.195.*", //Yahoo Inc
			"170.201.*", //PNC Bank
			"66.95.*", //United Bank
			"12.*", //AT&T WorldNet Services (covers AES and other banking websites)
			"164.109.*" //Digex, Incorporated. (Covers PECO and Exelon Corp)
		];
		domain_excludes=[
			"*accuweather.com",
			"*mozdev.org",
			"*mozilla.org",
			"*bankofamerica.com",
			"*campusfood.com",
			"*chase.com*",
			"*clubbleach.org",
			"*crunchyroll.com",
			"*dccc.edu*",
			"*domaintools.com",
			"*ea.com",
			"*ebay.com",
			"*ebayrtm.com",
			"*ebaystatic.com",
			"*expedia.com",
			"*experts-exchange.com",
			"*facebook.com",
			"*fbcdn.net",
			"*flagfox.net",
			"*fsdn.com",
			"*godaddy.com",
			"www.google.*", //Needed for when Google randomly decides to load files from another country like www.google.ca or www.google.com.ph
			"*.gov",
			"*geotrust.com",
			"*ingdirect.com",
			"*ittoolbox.com",
			"*live.com",
			"*logmein.com",
			"*mqcdn.com",
			"*msn.com",
			"*newegg.ca",
			"*newegg.com",
			"*neweggimages.com",
			"*passport.com",
			"*passport.net",
			"*passportimages.com",
			"*paypal.com",
			"*paypalobjects.com",
			"*register.com",
			"*sf.net",
			"*sourceforge.net",
			"*steampowered.com",
			"*thawte.com",
			"*verisign.com",
			"*yahoo.com",
			"*whois.net"
		];
		protocol_excludes=[
			"about:*",
			"aim:*",
			"chrome:*",
			"file:*",
			"https:*",
			"sftp:*",
			"socks:*",
			"steam:*",
			"telnet:*"
		];
	};
	
	//Run exclude rules for protocols, domain names, and ip addresses
	if(exclude(url.toLowerCase(),protocol_excludes))
	{
		if(ENABLE_LOGGING)
			alert("Exclude rule triggered: protocol\n" + url);
		return "DIRECT";
	};
	if(exclude(dnsResolve(host),ip_excludes))
	{
		if(ENABLE_LOGGING)
			alert("Exclude rule triggered: ip\n" + dnsResolve(host));
		return "DIRECT";
	};
	if(exclude(host.toLowerCase(),domain_excludes))
	{
		if(ENABLE_LOGGING)
			alert("Exclude rule triggered: domain\n" + dnsResolve(host) + "\n" + host);
		return "DIRECT";
	};

	//Pre-defined proxy list
	if(ENABLE_PREDEFINED_PROXY_LIST)
	{
		proxylist=[
			"169.229.50.13:3128",
			"128.42.142.41:3124",
			"169.229.50.5:3127"
		];
	};
	
	//Generate a random index for the proxy list
	try
	{
		var index=-1;
		while(index<0)
			index=Math.ceil(proxylist.length*Math.random())-1;

		if(proxylist.length)
		{
			if(ENABLE_LOGGING)
				alert("Rule not triggered!\n" + dnsResolve(host) + "\n" + host.toLowerCase() + "\n" + url.toLowerCase() + "\nUsing Proxy: " + proxylist[index]);
			return "PROXY "+proxylist[index];
		}
		else
			return "DIRECT";
	}
	catch(e)
	{
		if(ENABLE_LOGGING)
			alert("An exception has been encountered!\n" + proxylist);
		return "DIRECT";
	};
}
