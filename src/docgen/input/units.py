"""What a unit written in a workbook's 单位 / Unit column means: a rate, an amount of money, a count, or text."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from docgen.input.schema import name_key

RATE, MONEY, COUNT, OTHER, NONE = "rate", "money", "count", "other", "none"

# Spellings of a percentage unit (compared after case folding and NFKC, so ％ is %).
_RATE_SPELLINGS = {
    "%", "百分比", "百分率", "百分数", "个百分点", "百分点", "percent", "percentage", "pct", "pp",
    "percentage points", "percentage point", "%pt", "%pts",
}

# Chinese money units: an optional scale in front of a currency name.
_ZH_SCALES = {"": 1.0, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8}
_ZH_CURRENCIES = {
    "元": "CNY", "人民币": "CNY", "人民币元": "CNY", "美元": "USD", "港元": "HKD", "港币": "HKD",
    "欧元": "EUR", "英镑": "GBP", "日元": "JPY",
}  # fmt: skip
_ZH_MONEY = re.compile(
    r"^(千|万|十万|百万|千万|亿)?(" + "|".join(sorted(_ZH_CURRENCIES, key=len, reverse=True)) + r")$"
)
# Currency codes (ISO 4217) a sales report meets; three capitals alone may be PCS, SKU or KPI, which are no money.
_CODES = {
    "CNY", "RMB", "USD", "HKD", "MOP", "TWD", "EUR", "GBP", "JPY", "KRW", "SGD", "AUD", "NZD", "CAD", "CHF",
    "SEK", "NOK", "DKK", "INR", "THB", "MYR", "IDR", "PHP", "VND", "RUB", "BRL", "MXN", "AED", "SAR", "ZAR",
}  # fmt: skip
_CODE_ALIASES = {"RMB": "CNY"}  # the yuan as Chinese documents often write it
_SYMBOLS = {"US$": "USD", "HK$": "HKD", "$": "USD", "¥": "CNY", "￥": "CNY", "€": "EUR", "£": "GBP"}

# Things counted: customers, deals, leads, visits, people … (Chinese measure words and English nouns).
_COUNT_SPELLINGS = {
    "家", "个", "户", "单", "条", "次", "人", "位", "名", "件", "台", "笔", "份", "项", "场",
    "customers", "customer", "accounts", "account", "clients", "deals", "deal", "orders", "order",
    "leads", "lead", "visits", "calls", "people", "persons", "pcs", "units", "items", "times",
}


@dataclass(frozen=True)
class Unit:
    """A unit as written, and what it means."""

    text: str  # as the workbook writes it, stripped
    kind: str  # RATE, MONEY, COUNT, OTHER (a unit docgen does not know) or NONE (empty)
    currency: str | None = None  # MONEY: ISO code (CNY, USD …)
    scale: float = 1.0  # MONEY: how many of the currency one of this unit is (万元: 10,000)
    style: str | None = None  # MONEY: "zh" (万元), "code" (USD) or "symbol" ($)

    @property
    def is_rate(self) -> bool:
        return self.kind == RATE

    @property
    def is_money(self) -> bool:
        return self.kind == MONEY

    def converts_to(self, other: Unit) -> bool:
        """True when amounts in this unit can be stated in `other` (same currency, another scale)."""
        return self.is_money and other.is_money and self.currency == other.currency


def _folded(text: str) -> str:
    return name_key(unicodedata.normalize("NFKC", text))


def parse_unit(text: object) -> Unit:
    """What a 单位 cell says; never fails (an unknown unit is OTHER, an empty one NONE)."""
    return _parse_unit("" if text is None else str(text).strip())


@functools.lru_cache(maxsize=1024)  # a batch asks about the same few units for every record
def _parse_unit(written: str) -> Unit:
    if not written:
        return Unit("", NONE)
    folded = _folded(written)
    if folded in _RATE_SPELLINGS:
        return Unit(written, RATE)
    found = _ZH_MONEY.match(written)
    if found:
        return Unit(written, MONEY, _ZH_CURRENCIES[found.group(2)], _ZH_SCALES[found.group(1) or ""], "zh")
    code = written.upper()
    if code in _CODES:
        return Unit(written, MONEY, _CODE_ALIASES.get(code, code), 1.0, "code")
    if written in _SYMBOLS:
        return Unit(written, MONEY, _SYMBOLS[written], 1.0, "symbol")
    if folded in _COUNT_SPELLINGS:
        return Unit(written, COUNT)
    return Unit(written, OTHER)


def is_rate(text: object) -> bool:
    return parse_unit(text).is_rate


def is_money(text: object) -> bool:
    return parse_unit(text).is_money


def conversion_factor(source: Unit, into: Unit) -> float:
    """What an amount in `source` is multiplied by to be stated in `into` (元 → 万元: 0.0001)."""
    if not source.converts_to(into):
        raise ValueError(f"{source.text!r} cannot be stated in {into.text!r}")
    return source.scale / into.scale
