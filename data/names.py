"""Small vocabularies the demo data is drawn from: people, companies, markets, sales reps."""

from __future__ import annotations

# fmt: off
FIRST_NAMES: tuple[str, ...] = (
    "Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "Mason",
    "Chloe", "Leo", "Grace", "James", "Hannah", "Daniel", "Zoe", "Samuel", "Nora", "David",
    "Laura", "Thomas", "Julia", "Max", "Anna", "Felix", "Clara", "Jonas", "Lea", "Paul",
    "Sarah", "Pierre", "Camille", "Hugo", "Manon", "Luis", "Lucia", "Pablo", "Carmen", "Diego",
    "Priya", "Arjun", "Ananya", "Rohan", "Aisha", "Omar", "Fatima", "Yusuf", "Mei", "Kenji",
    "Ana", "Joao", "Beatriz", "Rafael", "Isabel", "Tom", "Sophie", "Jack", "Ruby", "Oscar",
    "Emily", "Michael", "Jessica", "Chris", "Ashley", "Ryan", "Megan", "Kevin", "Rachel", "Eric",
)
LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor",
    "Anderson", "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis",
    "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson",
    "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Wagner", "Hoffmann",
    "de Vries", "Jansen", "Bakker", "Visser", "Dubois", "Moreau", "Laurent", "Lefebvre",
    "Garcia", "Martinez", "Lopez", "Sanchez", "Fernandez", "Silva", "Santos", "Oliveira",
    "Costa", "Sharma", "Patel", "Singh", "Gupta", "Iyer", "Chen", "Wang", "Kim", "Nguyen",
    "O'Brien", "Murphy", "Campbell", "Stewart", "Morris", "Cooper", "Reed", "Hughes",
)
COMPANY_PREFIXES: tuple[str, ...] = (
    "Blue", "North", "Bright", "Silver", "Red", "Green", "Iron", "Clear", "Swift", "True",
    "High", "Deep", "Open", "Rapid", "Smart", "Prime", "Nova", "Apex", "Summit", "Harbor",
    "Pine", "Cedar", "Oak", "Maple", "River", "Lake", "Stone", "Cloud", "Sun", "Star",
    "Quantum", "Vertex", "Atlas", "Orbit", "Polar", "Coastal", "Urban", "Metro", "Alpine",
    "Granite", "Golden", "Crystal", "Bold", "Pioneer", "Liberty", "Unity", "Beacon", "Echo",
    "Falcon", "Lumen", "Nimbus", "Zenith", "Vivid", "Core", "Peak", "West", "East", "South",
    "Sterling", "Crest",
)
COMPANY_ROOTS: tuple[str, ...] = (
    "wave", "field", "point", "bridge", "path", "line", "works", "labs", "forge", "gate",
    "stack", "loop", "link", "base", "mark", "scale", "shift", "spark", "track", "flow",
    "grid", "hub", "logic", "mind", "net", "pulse", "quest", "ridge", "sight", "vale",
    "wind", "view", "way", "craft", "dock", "yard", "well", "port", "leaf", "rock",
    "signal", "metric", "ledger", "cart", "freight", "care", "med", "learn", "media", "build",
)
COMPANY_SUFFIXES: tuple[str, ...] = ("", "", "", " Inc", " Group", " Systems", " Solutions", " Co")

# Same order as FIRMOGRAPHIC weights in leads.py.
INDUSTRIES: tuple[str, ...] = (
    "SaaS", "Fintech", "Healthcare", "Manufacturing", "Logistics",
    "Retail", "Education", "Government", "Media", "Other",
)
INDUSTRY_WEIGHTS: tuple[float, ...] = (0.20, 0.09, 0.10, 0.12, 0.07, 0.11, 0.06, 0.04, 0.07, 0.14)

COUNTRIES: tuple[str, ...] = (
    "US", "GB", "DE", "CA", "NL", "FR", "BR", "IN", "AU", "ES", "IT", "SE",
)
COUNTRY_WEIGHTS: tuple[float, ...] = (
    0.38, 0.11, 0.09, 0.06, 0.04, 0.05, 0.05, 0.07, 0.05, 0.04, 0.03, 0.03,
)
COUNTRY_TLDS: tuple[str, ...] = (
    ".com", ".co.uk", ".de", ".ca", ".nl", ".fr", ".com.br", ".in", ".com.au", ".es", ".it", ".se",
)

SENIORITIES: tuple[str, ...] = (
    "C-level", "VP", "Director", "Manager", "Individual contributor", "Student",
)
DEPARTMENTS: tuple[str, ...] = (
    "Marketing", "Sales", "Revenue Operations", "Operations", "IT", "Finance", "Engineering",
)
DEPARTMENT_WEIGHTS: tuple[float, ...] = (0.40, 0.20, 0.12, 0.10, 0.08, 0.05, 0.05)
# TITLES[seniority][department]; students share one row.
TITLES: tuple[tuple[str, ...], ...] = (
    ("CMO", "Chief Revenue Officer", "Chief Revenue Officer", "COO", "CIO", "CFO", "CTO"),
    ("VP Marketing", "VP Sales", "VP Revenue Operations", "VP Operations", "VP IT",
     "VP Finance", "VP Engineering"),
    ("Director of Marketing", "Sales Director", "Director of RevOps", "Director of Operations",
     "IT Director", "Finance Director", "Engineering Director"),
    ("Marketing Manager", "Sales Manager", "RevOps Manager", "Operations Manager",
     "IT Manager", "Finance Manager", "Engineering Manager"),
    ("Marketing Specialist", "Account Executive", "RevOps Analyst", "Operations Analyst",
     "Systems Administrator", "Financial Analyst", "Software Engineer"),
    ("Student", "MBA student", "Graduate student", "Student", "Student", "MBA student",
     "Student"),
)

UNIVERSITIES: tuple[tuple[str, str], ...] = (
    ("State University", "stateu.edu"),
    ("Lakeside College", "lakeside.edu"),
    ("Northfield University", "northfield.edu"),
    ("Riverside Institute of Technology", "rit-riverside.edu"),
    ("Westbrook Business School", "westbrook.edu"),
    ("Hillcrest University", "hillcrest.edu"),
)
COMPETITOR = ("RivalCRM", "rivalcrm.com")
FREEMAIL_DOMAIN = "gmail.com"

# Sales development reps, by the segment they cover.
REPS_BY_SEGMENT: dict[str, tuple[str, ...]] = {
    "SMB": ("Jordan Blake", "Sam Rivera", "Casey Nguyen"),
    "Mid-market": ("Alex Morgan", "Taylor Brooks", "Riley Chen"),
    "Enterprise": ("Morgan Hayes", "Jamie Patel"),
}
REPS: tuple[str, ...] = tuple(rep for reps in REPS_BY_SEGMENT.values() for rep in reps)
# How often each rep (same order as REPS) lets a hot lead slip without any touch; the
# spread is what the follow-up page is meant to expose.
REP_NEGLECT: tuple[float, ...] = (0.18, 0.24, 0.38, 0.15, 0.22, 0.30, 0.20, 0.26)
# And how fast each rep usually is (multiplies the first-touch delay).
REP_SLOWNESS: tuple[float, ...] = (0.6, 1.0, 2.2, 0.8, 1.0, 1.6, 0.9, 1.3)

# Web and content assets the activities point at.
PAGES: tuple[str, ...] = (
    "/", "/product", "/features/lead-scoring", "/features/funnel", "/integrations",
    "/customers", "/blog/mql-vs-sql", "/blog/what-is-lead-scoring",
    "/blog/sales-and-marketing-alignment", "/blog/best-lead-scoring-tools-2026",
    "/docs/getting-started", "/about", "/careers",
)
PAGE_WEIGHTS: tuple[float, ...] = (
    0.16, 0.12, 0.08, 0.06, 0.05, 0.05, 0.10, 0.09, 0.07, 0.08, 0.06, 0.04, 0.04,
)
# CONTENT[stage]: awareness, consideration, decision (top to bottom of the funnel).
CONTENT: tuple[tuple[str, ...], ...] = (
    ("Ebook: The state of B2B lead management 2026", "Blog guide: 12 best lead scoring tools",
     "Infographic: The modern B2B funnel"),
    ("Guide: How to build a lead scoring model", "Template: Marketing-sales SLA",
     "Report: MQL vs SQL benchmarks by industry"),
    ("Checklist: Things to know before buying a lead scoring tool", "ROI calculator",
     "Case study: How Northwind doubled its SQLs", "Pricing and implementation guide"),
)
CTAS: tuple[str, ...] = (
    "Start free trial", "See it in action", "Talk to sales", "Get the template",
)
WEBINARS: tuple[str, ...] = (
    "Webinar: One definition of a qualified lead", "Webinar: Lead scoring that sales trusts",
    "Webinar: Speed-to-lead in practice", "Webinar: Funnel metrics for RevOps",
)
SOCIAL_POSTS: tuple[str, ...] = ("LinkedIn post", "LinkedIn ad", "X post", "YouTube video")
# fmt: on
