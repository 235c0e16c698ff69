"""The phrase lists behind the `promotional` and `unsafe-word` lint rules.

Each entry is a regular expression matched case-insensitively between word boundaries,
so "launch" never matches inside "lunch" or "relaunching" unless listed. Keep the lists
short and documented (docs/prompts.md); a false positive blocks an honest prompt.
"""

from __future__ import annotations

# The "press release" rule: selling, announcing or collecting sign-ups.
PROMOTIONAL: tuple[str, ...] = (
    r"buy(?:ing)? (?:now|today|here|online|yours|our|one today|tickets)",
    r"(?:^|(?<=[.!?]\s))buy",  # "Buy ..." as a command
    r"(?<!garage )(?<!yard )(?<!bake )(?<!jumble )(?<!boot )(?<!rummage )sales?",
    r"discount(?:s|ed)?",
    r"\d+\s?% off",
    r"percent off",
    r"launch(?:es|ed|ing)?(?! into)",  # "launch ... into space" is a fair question
    r"sign(?:ing)? up",
    r"signup",
    r"subscribe(?:d|rs?)?",
    r"register (?:now|today|here)",
    r"our (?:new |latest )?(?:products?|brand|services?|platform|app|features?|release|store|shop)",
    r"limited[- ]time",
    r"link in (?:the )?bio",
    r"promo(?:tional)? codes?",
    r"coupon(?:s| codes?)?",
    r"free trial",
    r"act now",
    r"don'?t miss (?:out|it)",
    r"order (?:now|today)",
    r"shop now",
    r"special offer",
    r"exclusive (?:deal|offer|access)",
    r"early[- ]bird (?:price|pricing|offer|discount)",
    r"book a demo",
    r"check out our",
    r"use code",
    r"giveaway",
    r"webinar",
)

# Not safe for work, or wording that leaves people out. Small on purpose: slurs need no
# list to be refused by a human reviewer; these are the words that slip in casually.
UNSAFE: tuple[str, ...] = (
    r"sex(?:y|ier|iest|ual|ually)?",
    r"porn\w*",
    r"nudes?",
    r"naked",
    r"nsfw",
    r"horny",
    r"erotic\w*",
    r"boobs?",
    r"fuck\w*",
    r"shit\w*",
    r"bitch\w*",
    r"bastards?",
    r"asshole\w*",
    r"wtf",
    r"hangovers?",
    r"drunk(?:en)?",
    r"get(?:ting)? high",
    r"kill (?:yourself|urself)",
    r"kys",
    r"retard(?:ed|s)?",
    r"spaz",
    r"psycho",
    r"lame",
    r"craz(?:y|ier|iest)",
    r"insane",
    r"gyp(?:ped)?",
    r"illegals",
    r"normal people",
    r"you guys",
    r"hey guys",
    r"ladies and gentlemen",
    r"manpower",
    r"black ?list(?:ed)?",
    r"white ?list(?:ed)?",
)
