"""schema.org ``Product`` (JSON-LD) and Open Graph of a public product page: only the public
fields already chosen by the selectors."""

from __future__ import annotations

from typing import Any

from khuyencong.awards import rules

from .selectors import PublicProduct


def product_jsonld(shown: PublicProduct, *, page: str, absolute: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": page,
        "url": page,
        "name": shown.name,
        "description": shown.description,
        "category": shown.group_label,
        "image": [absolute(p.url) for p in shown.photos],
        "brand": {"@type": "Organization", "name": shown.holder},
        "manufacturer": {
            "@type": "Organization",
            "name": shown.holder,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": shown.address or None,
                "addressLocality": shown.commune,
                "addressRegion": shown.province,
                "addressCountry": "VN",
            },
            "telephone": shown.phone or None,
            "email": shown.email or None,
        },
        "award": [
            f"{c.level_label}: {c.number} ({c.round_title})"
            for c in shown.certificates
            if c.status == rules.CertificateStatus.VALID
        ],
    }
    if shown.gtin14:
        data["gtin14"] = shown.gtin14
    return _without_empty(data)


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        cleaned = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value
