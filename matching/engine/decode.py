"""Decoders of a stored Match's bit fields (missing skills, language gaps) back to codes."""

from matching.engine.model import LANGS


def decode_language_gaps(packed: int) -> list[list]:
    """Match.language_gaps as [[language code, held, required], ...] in LANGS order."""
    gaps = []
    value = int(packed) & 0xFFFF_FFFF_FFFF_FFFF
    for position, code in enumerate(LANGS):
        byte = (value >> (8 * position)) & 0xFF
        if byte:
            gaps.append([code, byte >> 4, byte & 0x0F])
    return gaps


def skill_codes_from_bits(vocabulary: dict, unit: str, bits: int) -> list[str]:
    """Match.missing_skills as skill codes, with a run's stored vocabulary."""
    codes = vocabulary.get(str(unit), [])
    value = int(bits) & 0xFFFF_FFFF_FFFF_FFFF
    return [code for bit, code in enumerate(codes) if value >> bit & 1]
