"""Formulas as plain text, for excerpts: `\\sqrt{d_k}` reads `√dₖ`, `O(n^2 \\cdot d)` reads `O(n² · d)`.

Only what reads well as text is converted (Greek letters, operators, arrows, roots, fractions,
styles, sub- and superscripts that Unicode has); anything else loses its backslashes and braces,
so an excerpt never shows TeX source.
"""

from __future__ import annotations

import re

# fmt: off
_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "leq": "≤", "le": "≤", "geq": "≥",
    "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "equiv": "≡", "propto": "∝",
    "infty": "∞", "partial": "∂", "nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫",
    "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩",
    "forall": "∀", "exists": "∃", "to": "→", "rightarrow": "→", "leftarrow": "←",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "leftrightarrow": "↔", "mapsto": "↦", "ldots": "…",
    "cdots": "⋯", "dots": "…", "log": "log", "ln": "ln", "exp": "exp", "max": "max",
    "min": "min", "sin": "sin", "cos": "cos", "tan": "tan", "lim": "lim", "arg": "arg",
    "quad": " ", "qquad": " ", ",": " ", ";": " ", "!": "", " ": " ", "{": "{", "}": "}",
    "|": "‖", "langle": "⟨", "rangle": "⟩", "top": "ᵀ", "prime": "′", "hat": "", "bar": "",
    "tilde": "", "vec": "", "left": "", "right": "", "big": "", "Big": "", "bigg": "",
}
_SUPERSCRIPT = str.maketrans("0123456789+-=()niT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ")
_SUBSCRIPT = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
# fmt: on

_STYLE = re.compile(
    r"\\(?:mathbf|mathrm|mathit|mathcal|mathbb|boldsymbol|text|textbf|operatorname)\s*\{([^{}]*)\}"
)
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}")
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{[^{}]*\}")
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_SCRIPT = re.compile(r"([_^])(?:\{([^{}]*)\}|(\\?[A-Za-z0-9]))")


_SUPERSCRIPT_KEYS = frozenset("0123456789+-=()niT")
_SUBSCRIPT_KEYS = frozenset("0123456789+-=()aehijklmnoprstuvx")


def _script(m: re.Match[str]) -> str:
    """`^2` → `²`, `_{ij}` → `ᵢⱼ` where Unicode has every character; else `^(…)`."""
    inner = m.group(2) if m.group(2) is not None else m.group(3)
    superscript = m.group(1) == "^"
    keys = _SUPERSCRIPT_KEYS if superscript else _SUBSCRIPT_KEYS
    if inner and set(inner) <= keys:
        return inner.translate(_SUPERSCRIPT if superscript else _SUBSCRIPT)
    return m.group(1) + _group(inner)


_ATOM = re.compile(r"[^\s+\-*/·=<>≤≥,()]+")


def _group(text: str) -> str:
    """Parentheses only where the reading would change without them."""
    return text if _ATOM.fullmatch(text) else f"({text})"


def to_text(tex: str) -> str:
    """`tex` as a short run of text and symbols."""
    text = _ENVIRONMENT.sub("", tex)
    text = _SCRIPT.sub(_script, text)
    for _ in range(3):  # nested styles and fractions, innermost first
        text = _STYLE.sub(r"\1", text)
        text = _SQRT.sub(lambda m: "√" + _group(m.group(1)), text)
        text = _FRAC.sub(lambda m: f"{_group(m.group(1))}/{_group(m.group(2))}", text)
    text = _COMMAND.sub(lambda m: _SYMBOLS.get(m.group(1), m.group(1)), text)
    text = text.replace("{", "").replace("}", "").replace("&", " ").replace("\\", " ")
    return " ".join(text.split())
