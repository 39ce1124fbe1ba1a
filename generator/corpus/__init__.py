"""Stage 1 — content/*.yml → Corpus | [Problem]: load, convert, check and model the content.

In: the content folder (bytes). Out: `validate.CheckResult` — a frozen `model.Corpus` (every
Money and Indicator carries its Source file:line:col) or the located Problems, all at once.
`fields.py` is the one declaration of the format (validator, JSON Schema, scaffolds, docs).
`fmt.py` writes model values as text (万元, masked personal data) for every later stage.
Imports nothing else of gongkai.
"""
