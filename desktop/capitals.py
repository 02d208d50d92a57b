"""Amounts in capitals (大写金额), as a receipt writes them beside the figures.

The rules are the People's Bank's for filling in payment documents (《正确填写票据和结算凭证
的基本规定》): the capital digits 壹贰叁肆伍陆柒捌玖 and 拾佰仟万亿; a 拾 at the head keeps its
壹 (壹拾元); zeros between digits are written as one 零; 整 after 元 or 角 when there are no
分, none after 分; an amount under a yuan starts at its 角 or 分.
"""

from __future__ import annotations

from decimal import Decimal

from desktop.money import FEN

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")


def in_capitals(amount: Decimal) -> str:
    """``Decimal('1409.50')`` → ``壹仟肆佰零玖元伍角整``; a negative amount is led by 负."""
    if not amount.is_finite():
        raise ValueError(f"{amount} is not an amount")
    fen = int((abs(amount).quantize(FEN) * 100).to_integral_value())
    if fen >= 10 ** (4 * len(GROUPS) + 2):
        raise ValueError(f"{amount} is too large to write in capitals")
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    words = _yuan(yuan) + "元" if yuan else ""
    if jiao:
        words += DIGITS[jiao] + "角"
    elif cents and yuan:
        words += "零"
    if cents:
        words += DIGITS[cents] + "分"
    if not words:
        words = "零元"
    if not cents:
        words += "整"
    return ("负" if amount < 0 and fen else "") + words


def _yuan(yuan: int) -> str:
    groups = []
    while yuan:
        groups.append(yuan % 10000)
        yuan //= 10000
    words = ""
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            zero_pending = bool(words)
            continue
        if words and (zero_pending or group < 1000):
            words += "零"
        words += _group(group) + GROUPS[index]
        zero_pending = False
    return words


def _group(group: int) -> str:
    """One to four digits with their places, a zero between them written once."""
    words = ""
    zero = False
    for place in range(3, -1, -1):
        digit = group // 10**place % 10
        if digit == 0:
            zero = bool(words)
            continue
        if zero:
            words += "零"
            zero = False
        words += DIGITS[digit] + PLACES[place]
    return words
