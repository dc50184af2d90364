"""The core indicators every summary shows: their names and aliases, and what each is counted in (docs/checks.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from docgen.input import schema, units
from docgen.report import formatting as fmt


@dataclass(frozen=True)
class CoreIndicator:
    """An indicator every summary shows; `names` are its Chinese name, its English name, then other aliases.

    `kind` is what it is counted in (a units kind), `clashes` the kinds of unit it never is (DG110).
    """

    names: tuple[str, ...]
    kind: str | None = None
    clashes: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.names[0] if fmt.is_zh(lang) or len(self.names) < 2 else self.names[1]

    def matches(self, indicator: str) -> bool:
        wanted = schema.normalize_name(indicator)
        for alias in self.names:
            alias = schema.normalize_name(alias)
            if alias == wanted:
                return True
            # Chinese names sit inside longer ones (客户流失率 holds 流失率); English ones as whole words.
            if alias.isascii():
                if re.search(rf"\b{re.escape(alias)}\b", wanted):
                    return True
            elif alias in wanted:
                return True
        return False

    def is_named(self, indicator: str) -> bool:
        """The indicator is this one by name, not merely a longer name holding it (销售额增长率 is not 销售额)."""
        return schema.normalize_name(indicator) in {schema.normalize_name(alias) for alias in self.names}


# Sales may be counted in deals in English, so only a rate unit clashes with it.
CORE_INDICATORS: tuple[CoreIndicator, ...] = (
    CoreIndicator(("销售额", "Sales", "销售收入", "销售金额", "营业额", "营业收入", "Revenue", "Sales revenue", "Turnover"),
                  units.MONEY, (units.RATE,)),
    CoreIndicator(("新增客户", "New customers", "新客户", "新增客户数", "新客户数", "New accounts", "New clients"),
                  units.COUNT, (units.RATE, units.MONEY)),
    CoreIndicator(("复购率", "Repurchase rate", "回购率", "重复购买率", "Repeat purchase rate", "Repeat rate"),
                  units.RATE, (units.MONEY, units.COUNT)),
    CoreIndicator(("流失率", "Churn rate", "客户流失率", "Attrition rate", "Churn"), units.RATE, (units.MONEY, units.COUNT)),
)  # fmt: skip


def core_indicators(names: Iterable[Iterable[str] | str]) -> tuple[CoreIndicator, ...]:
    """A configured list of core indicators (docgen.toml's core_indicators): each a name or a list of names.

    A name docgen knows (销售额, Churn rate, 回购率 …) brings its aliases with it, so
    "销售额" still finds a row called Sales.
    """
    chosen = []
    for item in names:
        given = (item,) if isinstance(item, str) else tuple(item)
        known = next((core for core in CORE_INDICATORS if any(core.matches(name) for name in given)), None)
        if known is not None and all(known.matches(name) for name in given):
            chosen.append(known)
        else:
            chosen.append(CoreIndicator(given))
    return tuple(chosen)
