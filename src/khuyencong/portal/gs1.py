"""GS1 Digital Link resolver rules (bộ phân giải GS1 Digital Link), pure: the path read by
``biip`` (primary key 01 = GTIN, check digit, key qualifiers), link types, the RFC 9264
linkset and the ``Link`` header. No ORM, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass

from biip import ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from django.utils.translation import gettext as _

from khuyencong.awards.gtin import LENGTHS, GtinError, normalise_gtin

VOC = "https://gs1.org/voc/"
PIP = "gs1:pip"
CERTIFICATION = "gs1:certificationInfo"
DEFAULT = "gs1:defaultLink"
LINKSET = "linkset"
LINKSET_TYPE = "application/linkset+json"
#: What ``?linkType=`` may ask for; anything else (``all``, ``linkset``) means the whole set.
LINK_TYPES = (PIP, CERTIFICATION, DEFAULT)


class DigitalLinkError(ValueError):
    """The path is no GS1 Digital Link of a GTIN; the message says why, in Vietnamese."""


def read_gtin(path: str) -> str:
    """``/01/8935049510864[/10/LOT]`` → ``"08935049510864"`` (GTIN-14), checked by biip."""
    parts = path.strip("/").split("/")
    digits = parts[1] if len(parts) > 1 and parts[0] == "01" else ""
    if not digits.isdigit() or len(digits) not in LENGTHS:
        raise DigitalLinkError(
            _(
                "Mã GTIN trong đường dẫn phải gồm 8, 12, 13 hoặc 14 chữ số (số in dưới mã "
                "vạch), ví dụ /01/8935049510864."
            )
        )
    try:
        normalise_gtin(digits)
    except GtinError as error:
        raise DigitalLinkError(str(error)) from None
    try:
        uri = GS1DigitalLinkURI.parse("https://resolver.invalid/" + path.strip("/"))
    except ParseError:
        raise DigitalLinkError(
            _(
                "Phần sau mã GTIN không đúng cú pháp GS1 Digital Link (ví dụ /10/<số lô> "
                "hoặc /21/<số sê-ri>)."
            )
        ) from None
    element = uri.element_strings[0]
    if element.gtin is None or element.gtin_error:
        raise DigitalLinkError(_("Mã GTIN trong đường dẫn không hợp lệ."))
    return element.value


def expand(link_type: str) -> str:
    """``gs1:pip`` → ``https://gs1.org/voc/pip`` (the form linksets use as relation)."""
    return VOC + link_type.removeprefix("gs1:") if link_type.startswith("gs1:") else link_type


def compact(link_type: str) -> str:
    return "gs1:" + link_type.removeprefix(VOC) if link_type.startswith(VOC) else link_type


@dataclass(frozen=True)
class Link:
    link_type: str  # compact form, "gs1:pip"
    href: str
    title: str
    media_type: str = "text/html"
    language: str = "vi"


def choose(links: list[Link], wanted: str) -> Link:
    """The link of the asked type, else the default link (GS1 resolver rule)."""
    wanted = compact(wanted)
    for link in links:
        if link.link_type == wanted:
            return link
    return next(link for link in links if link.link_type == DEFAULT)


def linkset(anchor: str, links: list[Link]) -> dict[str, object]:
    """RFC 9264 ``application/linkset+json``: one context (the Digital Link), target
    objects grouped under each relation type."""
    context: dict[str, object] = {"anchor": anchor}
    for link in links:
        targets = context.setdefault(expand(link.link_type), [])
        assert isinstance(targets, list)
        targets.append(
            {
                "href": link.href,
                "title": link.title,
                "type": link.media_type,
                "hreflang": [link.language],
            }
        )
    return {"linkset": [context]}


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def link_header(anchor: str, links: list[Link]) -> str:
    """RFC 8288 ``Link`` header: every link, and where the linkset itself is."""
    parts = [
        f'<{link.href}>; rel="{expand(link.link_type)}"; type="{link.media_type}"; '
        f'hreflang="{link.language}"'
        for link in links
    ]
    parts.append(f'<{anchor}?linkType=linkset>; rel="linkset"; type="{LINKSET_TYPE}"')
    # Header values are latin-1: titles (Vietnamese) stay in the linkset body only.
    return ", ".join(parts)


def wants_linkset(link_type: str, accept: str) -> bool:
    if link_type in (LINKSET, "all"):
        return True
    return not link_type and LINKSET_TYPE in accept.lower()


def resolver_description(root: str, name: str) -> dict[str, object]:
    """``/.well-known/gs1resolver`` (GS1-Conformant resolver standard, §3)."""
    return {
        "name": name,
        "resolverRoot": root,
        "supportedPrimaryKeys": ["gtin"],
        "supportedLinkType": [
            {"namespace": VOC, "prefix": "gs1:", "profile": VOC + "?show=linktypes"}
        ],
        "linkTypeDefaultCanBeLinkset": False,
        "supportedContextValuesEnumerated": [],
        "linkTypes": [compact(t) for t in LINK_TYPES],
    }
