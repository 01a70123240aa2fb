"""Swedish dates in one format, over Django's sv formats (which it falls back to for the rest).

Text dates in sentences and facts read "9 sep 2026" (Språkrådet: abbreviated months in lower
case, without a full stop); Django's `M` capitalises ("Sep"), `b` does not. Tables and exports
use ISO 8601, "2026-09-09", which is also SHORT_DATE_FORMAT. The thousands separator stays the
non-breaking space of Django's sv formats; it is applied where a number is shown to people
(`intcomma`), not everywhere (USE_THOUSAND_SEPARATOR would put spaces in ids)."""

DATE_FORMAT = "j b Y"
DATETIME_FORMAT = "j b Y H:i"
MONTH_DAY_FORMAT = "j b"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
THOUSAND_SEPARATOR = "\xa0"
