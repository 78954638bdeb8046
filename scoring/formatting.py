"""Display helpers for personal data: what may be shown of it, and how.

The NIK (Nomor Induk Kependudukan, 16 digits) is personal data under UU PDP no. 27/2022: it is
stored for the committee's records but every page, export and audit row shows it masked.
"""

from __future__ import annotations

NIK_VISIBLE = 4  # digits kept at each end: the province/regency prefix and the serial tail


def mask_nik(nik: str | None) -> str:
    """ "3571010101900001" -> "3571********0001"; empty for no NIK."""
    if not nik:
        return ""
    text = "".join(ch for ch in str(nik) if not ch.isspace())
    if len(text) <= 2 * NIK_VISIBLE:
        return "*" * len(text)
    hidden = len(text) - 2 * NIK_VISIBLE
    return text[:NIK_VISIBLE] + "*" * hidden + text[-NIK_VISIBLE:]


def format_bytes(size: int | None) -> str:
    """1536 -> "1,5 KB" style sizes, decimal comma, for attachment lists."""
    if size is None:
        return "–"
    units = ("B", "KB", "MB", "GB")
    value = float(size)
    unit = 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    if unit == 0:
        return f"{int(value)} B"
    return f"{value:.1f}".replace(".", ",") + f" {units[unit]}"
