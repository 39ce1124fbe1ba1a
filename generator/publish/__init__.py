"""Stage 6 — a built site → site/: staging beside it, atomic swap (swap.py), merge of parts (merge.py)."""
