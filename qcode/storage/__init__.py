"""The project store: the only package that speaks SQL (SQLAlchemy 2 + Alembic).

Functions take a ``Session`` and never commit: the service layer owns transactions, so a
whole user action (one coding, one imported file) commits or rolls back as one.
"""
