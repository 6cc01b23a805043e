"""The app's gateways: one small module per feature, where a page's click becomes a read or a
write. They may import db, data and domain, never streamlit, components or pages.

Components call these instead of `db`, so each read and write (and its role check, in
db/guarded.py) runs without Streamlit, in a plain test.
"""
