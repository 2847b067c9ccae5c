"""Rate limits on capability links, keyed so that a whole client team can answer.

Fifty people of one client often share one public address (the company's NAT) and one
shared link. Counting every request per address would refuse most of them after the first
minute. So the limits that protect the work are counted per link (the shared link with the
address, a personal resume link alone), and the limit that stops token guessing counts only
*misses*: requests for a token that opens nothing (404), per address, over every token
route together. A guesser's every try is a miss; a respondent's requests are not.

Keys hold a digest of the token, never the token itself: the counters may live in Redis
(``SURVEY_RATELIMIT_STORAGE``), shared by every worker, and its keys are not secrets.
"""

from __future__ import annotations

import hashlib

from flask import Response, request
from flask_limiter.util import get_remote_address

from survey.extensions import limiter

#: Misses (unknown tokens) one address may make a minute, over all token routes together.
TOKEN_MISSES_LIMIT = "60 per minute"
#: Requests one address may make a minute on one shared link: a team behind one NAT starts
#: its answers there (the welcome page, then the form that starts each response).
SHARED_LINK_LIMIT = "600 per minute"
#: Requests a minute on one personal link: pages, saves and autosaves of one respondent.
RESUME_LIMIT = "120 per minute"
#: Hex digits of the token digest kept in a counter's key.
KEY_DIGEST_LENGTH = 16


def _token_digest() -> str:
    token = str((request.view_args or {}).get("token", ""))
    return hashlib.sha256(token.encode()).hexdigest()[:KEY_DIGEST_LENGTH]


def link_and_address() -> str:
    """The key of a shared link's counter: the link (as a digest) and the address."""
    return f"link:{_token_digest()}:{get_remote_address()}"


def personal_link() -> str:
    """The key of a resume link's counter: the link alone (one person), as a digest."""
    return f"resume:{_token_digest()}"


def opened_nothing(response: Response) -> bool:
    """A miss: the token (or the page under it) does not exist."""
    return response.status_code == 404


#: Count an address's misses on every token route in one bucket.
token_misses = limiter.shared_limit(
    TOKEN_MISSES_LIMIT,
    scope="token-misses",
    key_func=get_remote_address,
    deduct_when=opened_nothing,
)
