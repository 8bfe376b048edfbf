"""Generate the CV fixtures in tests/tools/cv/fixtures/ and their ground truth (<name>.truth.json).

Run: .venv/bin/python -m tests.tools.cv.make_fixtures
Needs fpdf2 (PDF writer), python-docx and Pillow. The generated files are committed, so the tests do not
need this script; it documents how each fixture was made and lets anyone regenerate them.

Each CV is written once as a list of blocks and rendered by a layout. The ground truth is written by hand
next to it: every skill a recruiter would tag in the text (including ones the taxonomy may not know), and
the fields as a person reads them. "Present" means the month of TRUTH_TODAY.
"""

from __future__ import annotations

import io
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).with_name("fixtures")
TRUTH_TODAY = "2026-11-01"
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Block:
    kind: str  # name, subtitle, contact, heading, job, bullet, text
    text: str
    right: str = ""  # a date on the right-hand side of a job line


def _b(kind: str, text: str, right: str = "") -> Block:
    return Block(kind, text, right)


# --- the CVs ---------------------------------------------------------------------------------------

ONE_COLUMN = [
    _b("name", "Priya Raman"),
    _b("subtitle", "Senior Backend Engineer"),
    _b("contact", "priya.raman@example.com | +44 20 7946 0958 | linkedin.com/in/priyaraman | github.com/praman"),
    _b("contact", "London, United Kingdom"),
    _b("heading", "PROFESSIONAL SUMMARY"),
    _b("text", "Backend engineer with nine years designing high-throughput payment and logistics platforms. "
               "Comfortable owning services end to end, from API design to production support."),
    _b("heading", "EXPERIENCE"),
    _b("job", "Senior Backend Engineer — Monzo Bank, London", "Mar 2021 – Present"),
    _b("bullet", "Led the migration of the ledger from a Python monolith to Go microservices on Kubernetes."),
    _b("bullet", "Designed event-driven settlement flows on Apache Kafka and PostgreSQL, processing 4M "
                 "transactions a day."),
    _b("bullet", "Introduced OpenTelemetry tracing and Grafana dashboards; cut incident triage time by half."),
    _b("bullet", "Mentored four engineers and ran weekly code reviews."),
    _b("job", "Backend Engineer — Deliveroo, London", "Aug 2017 – Feb 2021"),
    _b("bullet", "Built the courier dispatch API in Python (Flask, SQLAlchemy) backed by Redis and PostgreSQL."),
    _b("bullet", "Moved batch jobs to AWS Lambda and Amazon SQS, saving 30% of compute spend."),
    _b("bullet", "Swift delivery of the rider app backend ahead of the 2019 peak season."),
    _b("job", "Software Developer — Sage Group plc, Newcastle", "Sep 2015 – Jul 2017"),
    _b("bullet", "Maintained accounting services written in C# and .NET, with Microsoft SQL Server."),
    _b("bullet", "Wrote unit tests with NUnit and automated builds in Jenkins."),
    _b("heading", "EDUCATION"),
    _b("job", "BSc Computer Science"),
    _b("text", "University of Manchester, 2011 – 2015"),
    _b("heading", "SKILLS"),
    _b("text", "Languages: Go, Python, C#, SQL"),
    _b("text", "Backend: gRPC, REST APIs, Kafka, RabbitMQ"),
    _b("text", "Data: PostgreSQL, Redis, DynamoDB"),
    _b("text", "Cloud & DevOps: AWS, Docker, Kubernetes, Terraform, GitHub Actions"),
]  # fmt: skip
ONE_COLUMN_TRUTH = {
    "name": "Priya Raman",
    "email": "priya.raman@example.com",
    "phone": "+442079460958",
    "links": ["https://linkedin.com/in/priyaraman", "https://github.com/praman"],
    "skills": [
        "API Design", "Python", "Go", "Microservices", "Kubernetes", "Event-Driven Architecture",
        "Apache Kafka", "PostgreSQL", "OpenTelemetry", "Grafana", "Mentoring", "Code Review", "Flask",
        "SQLAlchemy", "Redis", "AWS Lambda", "Amazon SQS", "C#", ".NET", "Microsoft SQL Server",
        "Unit Testing", "NUnit", "Jenkins", "SQL", "gRPC", "REST APIs", "RabbitMQ", "DynamoDB", "AWS",
        "Docker", "Terraform", "GitHub Actions",
    ],
    "experience": [
        {"title": "Senior Backend Engineer", "company": "Monzo Bank", "start": "2021-03", "end": "present"},
        {"title": "Backend Engineer", "company": "Deliveroo", "start": "2017-08", "end": "2021-02"},
        {"title": "Software Developer", "company": "Sage Group plc", "start": "2015-09", "end": "2017-07"},
    ],
    "education": [{"degree": "BSc Computer Science", "institution": "University of Manchester", "year": 2015}],
    "total_years": 11.25,  # Sep 2015 .. Nov 2026, no gaps: 135 months
    "primary_field": "backend",
    "extraction_method": "text",
}  # fmt: skip

TWO_COLUMN_SIDEBAR = [
    _b("heading", "CONTACT"),
    _b("text", "marcus.oyelaran@example.org"),
    _b("text", "(312) 555-0178"),
    _b("text", "Chicago, IL"),
    _b("text", "marcusoyelaran.dev"),
    _b("text", "github.com/moyelaran"),
    _b("heading", "SKILLS"),
    *[_b("text", skill) for skill in (
        "Python", "SQL", "Apache Spark / PySpark", "Airflow", "dbt", "Snowflake", "BigQuery", "Kafka",
        "Docker", "Tableau",
    )],
    _b("heading", "LANGUAGES"),
    _b("text", "English (native)"),
    _b("text", "Yoruba (fluent)"),
]  # fmt: skip
TWO_COLUMN_MAIN = [
    _b("name", "MARCUS OYELARAN"),
    _b("subtitle", "Data Engineer"),
    _b("heading", "PROFILE"),
    _b("text", "Data engineer who turns messy event streams into reliable warehouse models. Seven years "
               "across retail and fintech."),
    _b("heading", "EXPERIENCE"),
    _b("job", "Northwind Analytics"),
    _b("text", "Senior Data Engineer"),
    _b("text", "06/2021 - present"),
    _b("bullet", "Own the ELT platform: Fivetran ingestion, dbt models and Snowflake, orchestrated with "
                 "Apache Airflow."),
    _b("bullet", "Cut warehouse cost 35% by partitioning and clustering the largest fact tables."),
    _b("bullet", "Built streaming ingestion with Kafka and Spark Structured Streaming on Databricks."),
    _b("job", "Contoso Retail"),
    _b("text", "Data Engineer"),
    _b("text", "02/2019 - 05/2021"),
    _b("bullet", "Migrated nightly ETL from SSIS to Python and Google BigQuery."),
    _b("bullet", "Developed data quality checks with Great Expectations."),
    _b("job", "Fabrikam Bank"),
    _b("text", "BI Developer"),
    _b("text", "07/2017 - 01/2019"),
    _b("bullet", "Built Tableau and Power BI reports over a Microsoft SQL Server warehouse."),
    _b("bullet", "Wrote T-SQL stored procedures for the finance team."),
    _b("heading", "EDUCATION"),
    _b("job", "B.S. Statistics"),
    _b("text", "University of Illinois Urbana-Champaign"),
    _b("text", "2013 - 2017"),
]  # fmt: skip
TWO_COLUMN_TRUTH = {
    "name": "Marcus Oyelaran",
    "email": "marcus.oyelaran@example.org",
    "phone": "3125550178",
    "links": ["https://marcusoyelaran.dev", "https://github.com/moyelaran"],
    "skills": [
        "Python", "SQL", "Apache Spark", "PySpark", "Apache Airflow", "dbt", "Snowflake", "BigQuery",
        "Apache Kafka", "Docker", "Tableau", "ETL", "Fivetran", "Databricks", "SSIS", "Data Quality",
        "Great Expectations", "Power BI", "Microsoft SQL Server", "T-SQL", "Statistics", "Business Intelligence",
    ],
    "experience": [
        {"title": "Senior Data Engineer", "company": "Northwind Analytics", "start": "2021-06", "end": "present"},
        {"title": "Data Engineer", "company": "Contoso Retail", "start": "2019-02", "end": "2021-05"},
        {"title": "BI Developer", "company": "Fabrikam Bank", "start": "2017-07", "end": "2019-01"},
    ],
    "education": [
        {"degree": "B.S. Statistics", "institution": "University of Illinois Urbana-Champaign", "year": 2017},
    ],
    "total_years": 9.42,  # Jul 2017 .. Nov 2026: 113 months
    "primary_field": "data",
    "extraction_method": "text",
}  # fmt: skip

TABLE_DOCX_JOBS = [
    ("Sept. 2019 – Current", "Senior Frontend Developer", "Spotify AB", [
        "Built the web player's playlist editor in React.js and TypeScript with Redux Toolkit.",
        "Set up Storybook and a design system shared by six teams.",
        "Improved Core Web Vitals; LCP down from 3.1 s to 1.4 s.",
    ]),
    ("Jan 2017 – Aug 2019", "Frontend Developer", "Klarna Bank AB", [
        "Rebuilt the checkout widget with Vue.js, Sass and Webpack.",
        "Wrote end-to-end tests in Cypress and unit tests in Jest.",
    ]),
    ("Jun 2015 – Dec 2016", "Web Developer (part-time)", "Malmö Creative Studio", [
        "Built WordPress themes with PHP, jQuery and HTML/CSS.",
    ]),
]  # fmt: skip
TABLE_DOCX_SKILLS = [
    ("Frontend", "React, Next.js, TypeScript, JS (ES6+), HTML5, CSS3, Tailwind CSS"),
    ("Testing", "Jest, Cypress, Testing Library"),
    ("Tooling", "Webpack, Vite, Git, Figma"),
    ("Other", "Web accessibility (WCAG 2.1), GraphQL, Node.js"),
]
TABLE_DOCX_TRUTH = {
    "name": "Sofia Lindqvist",
    "email": "sofia.lindqvist@example.se",
    "phone": "+46701234567",
    "links": ["https://sofialindqvist.se"],
    "skills": [
        "React", "TypeScript", "Redux", "Storybook", "Design Systems", "Web Performance", "Vue.js", "Sass",
        "Webpack", "End-to-End Testing", "Cypress", "Unit Testing", "Jest", "WordPress", "PHP", "jQuery",
        "HTML", "CSS", "Next.js", "JavaScript", "Tailwind CSS", "Testing Library", "Vite", "Git", "Figma",
        "Web Accessibility", "GraphQL", "Node.js",
    ],
    "experience": [
        {"title": "Senior Frontend Developer", "company": "Spotify AB", "start": "2019-09", "end": "present"},
        {"title": "Frontend Developer", "company": "Klarna Bank AB", "start": "2017-01", "end": "2019-08"},
        {"title": "Web Developer (part-time)", "company": "Malmö Creative Studio", "start": "2015-06",
         "end": "2016-12"},
    ],
    "education": [{"degree": "BSc Interaction Design", "institution": "Malmö University", "year": 2015}],
    "total_years": 11.5,  # Jun 2015 .. Nov 2026: 138 months
    "primary_field": "frontend",
    "extraction_method": "text",
}  # fmt: skip

PLAIN_TXT = """Tomasz Kowalczyk
Site Reliability Engineer
Email: tomasz.kowalczyk@example.pl
Phone: +48 512 345 678
Web: https://tkowalczyk.io

SUMMARY
=======
SRE with a background in Linux administration. I keep platforms boring: automated, observable and cheap.

WORK HISTORY
============
2019-01 - present   Senior SRE, Allegro (Warsaw)
  - Run 40+ k8s clusters on GCP (GKE) provisioned with Terraform and Helm charts.
  - Built the Prometheus / Alertmanager / Grafana monitoring stack; defined SLOs for 120 services.
  - Wrote internal tooling in Go and Bash; the Go-live checklist for new services is now automated.
  - Led blameless postmortems and chaos engineering game days.

2016-03 to 2018-12   DevOps Engineer, Netguru
  - Migrated CI from Jenkins to GitLab CI/CD with Docker-based runners.
  - Managed Ansible playbooks for 300 Ubuntu and CentOS hosts.

2014-07 to 2016-02   Linux Administrator, Comarch S.A.
  - Administered RHEL servers, Nginx and PostgreSQL replication.
  - Scripted backups in Python and Bash.

EDUCATION
=========
2010 - 2014  BEng Computer Engineering, Warsaw University of Technology

CERTIFICATIONS
==============
Certified Kubernetes Administrator (CKA), 2020
AWS Certified SysOps Administrator, 2021
"""
PLAIN_TXT_TRUTH = {
    "name": "Tomasz Kowalczyk",
    "email": "tomasz.kowalczyk@example.pl",
    "phone": "+48512345678",
    "links": ["https://tkowalczyk.io"],
    "skills": [
        "Site Reliability Engineering", "Linux", "Kubernetes", "GCP", "Google Kubernetes Engine", "Terraform",
        "Helm", "Prometheus", "Grafana", "SLOs", "Go", "Bash", "Chaos Engineering", "Incident Management",
        "Jenkins", "GitLab CI", "Docker", "Ansible", "Ubuntu", "CentOS", "Red Hat Enterprise Linux", "Nginx",
        "PostgreSQL", "Python", "AWS", "DevOps",
    ],
    "experience": [
        {"title": "Senior SRE", "company": "Allegro", "start": "2019-01", "end": "present"},
        {"title": "DevOps Engineer", "company": "Netguru", "start": "2016-03", "end": "2018-12"},
        {"title": "Linux Administrator", "company": "Comarch S.A.", "start": "2014-07", "end": "2016-02"},
    ],
    "education": [
        {"degree": "BEng Computer Engineering", "institution": "Warsaw University of Technology", "year": 2014},
    ],
    "total_years": 12.42,  # Jul 2014 .. Nov 2026: 149 months
    "primary_field": "devops",
    "extraction_method": "text",
}  # fmt: skip

EUROPEAN_DATES = [
    _b("name", "Lukas Brenner"),
    _b("subtitle", "Machine Learning Engineer · Munich, Germany"),
    _b("contact", "lukas.brenner@example.de · +49 89 1234 5678 · github.com/lbrenner"),
    _b("heading", "Profile"),
    _b("text", "ML engineer focused on NLP and recommender systems, from research prototypes to production "
               "model serving."),
    _b("heading", "Professional Experience"),
    _b("job", "10.2021 – today | Senior ML Engineer | Zalando SE"),
    _b("bullet", "Trained ranking models in PyTorch; +4.1% click-through in A/B tests."),
    _b("bullet", "Built the feature store and MLflow experiment tracking used by 30 data scientists."),
    _b("bullet", "Served models with ONNX Runtime on Kubernetes; p95 latency under 20 ms."),
    _b("job", "09.2019 – 09.2021 | Machine Learning Engineer | Celonis"),
    _b("bullet", "Developed anomaly detection for process logs with scikit-learn and XGBoost."),
    _b("bullet", "Wrote Spark jobs (PySpark) for feature pipelines over 2 TB of event data."),
    _b("job", "03.2017 – 08.2019 | Research Assistant | Technical University of Munich"),
    _b("bullet", "Published two papers on named entity recognition with BERT; code in Python and R."),
    _b("heading", "Education"),
    _b("text", "M.Sc. Informatics — Technical University of Munich (2019)"),
    _b("text", "B.Sc. Mathematics — University of Stuttgart (2016)"),
    _b("heading", "Skills"),
    _b("text", "Python, PyTorch, TensorFlow, Hugging Face, sklearn, SQL, Docker"),
    _b("text", "Languages: German (native), English (C2)"),
    _b("heading", "References"),
    _b("text", "Available on request from Prof. Julia Fischer."),
]  # fmt: skip
EUROPEAN_DATES_TRUTH = {
    "name": "Lukas Brenner",
    "email": "lukas.brenner@example.de",
    "phone": "+498912345678",
    "links": ["https://github.com/lbrenner"],
    "skills": [
        "Machine Learning", "NLP", "Recommender Systems", "Model Serving", "PyTorch", "A/B Testing",
        "Feature Engineering", "MLflow", "Experiment Tracking", "ONNX", "Kubernetes", "Anomaly Detection",
        "scikit-learn", "XGBoost", "Apache Spark", "PySpark", "Named Entity Recognition", "BERT", "Python",
        "R", "TensorFlow", "Hugging Face", "SQL", "Docker",
    ],
    "experience": [
        {"title": "Senior ML Engineer", "company": "Zalando SE", "start": "2021-10", "end": "present"},
        {"title": "Machine Learning Engineer", "company": "Celonis", "start": "2019-09", "end": "2021-09"},
        {"title": "Research Assistant", "company": "Technical University of Munich", "start": "2017-03",
         "end": "2019-08"},
    ],
    "education": [
        {"degree": "M.Sc. Informatics", "institution": "Technical University of Munich", "year": 2019},
        {"degree": "B.Sc. Mathematics", "institution": "University of Stuttgart", "year": 2016},
    ],
    "total_years": 9.75,  # Mar 2017 .. Nov 2026: 117 months
    "primary_field": "ml",
    "extraction_method": "text",
}  # fmt: skip

SCANNED_LINES = [
    ("name", "EMILY CHEN"),
    ("subtitle", "iOS Developer"),
    ("text", "emily.chen@example.com | 415-555-0199 | San Francisco, CA"),
    ("gap", ""),
    ("heading", "SUMMARY"),
    ("text", "iOS developer with nine years shipping consumer apps. Swift developer since Swift 2."),
    ("gap", ""),
    ("heading", "EXPERIENCE"),
    ("job", "Senior iOS Engineer, Lyft|Jun 2020 - Present"),
    ("text", "- Rebuilt the ride booking flow in SwiftUI and Combine."),
    ("text", "- Cut app launch time by 40% with Instruments and lazy-loaded Core Data stores."),
    ("job", "iOS Developer, Shopify|Jul 2017 - May 2020"),
    ("text", "- Built the merchant app's offline mode with Core Data and background sync."),
    ("text", "- Maintained legacy Objective-C modules; set up Fastlane and TestFlight releases."),
    ("gap", ""),
    ("heading", "EDUCATION"),
    ("text", "B.S. Computer Science, San Jose State University, 2017"),
    ("gap", ""),
    ("heading", "SKILLS"),
    ("text", "Swift, SwiftUI, UIKit, Objective-C, Kotlin, Firebase, Xcode, Git, REST APIs"),
]
SCANNED_TRUTH = {
    "name": "Emily Chen",
    "email": "emily.chen@example.com",
    "phone": "4155550199",
    "links": [],
    "skills": [
        "iOS", "Swift", "SwiftUI", "Combine", "Instruments", "Core Data", "Objective-C", "Fastlane",
        "TestFlight", "UIKit", "Kotlin", "Firebase", "Xcode", "Git", "REST APIs",
    ],
    "experience": [
        {"title": "Senior iOS Engineer", "company": "Lyft", "start": "2020-06", "end": "present"},
        {"title": "iOS Developer", "company": "Shopify", "start": "2017-07", "end": "2020-05"},
    ],
    "education": [{"degree": "B.S. Computer Science", "institution": "San Jose State University", "year": 2017}],
    "total_years": 9.42,  # Jul 2017 .. Nov 2026: 113 months
    "primary_field": "mobile",
    "extraction_method": "ocr",
}  # fmt: skip

MANAGER_DOCX = [
    _b("name", "David Okafor"),
    _b("contact", "Engineering Manager | david.okafor@example.com | +1 646 555 0143 | New York, NY"),
    _b("contact", "linkedin.com/in/davidokafor"),
    _b("heading", "Summary"),
    _b("text", "Engineering manager who builds calm, high-output teams. Led groups of up to 18 engineers "
               "across backend, mobile and data."),
    _b("heading", "Experience"),
    _b("job", "Engineering Manager"),
    _b("text", "Stripe, New York — April 2018 – Present"),
    _b("bullet", "Manage three teams (18 engineers) owning card processing APIs written in Java and Kotlin."),
    _b("bullet", "Hiring: grew the org from 6 to 18; ran structured interviews and onboarding."),
    _b("bullet", "Introduced OKRs and quarterly roadmap planning with product and finance stakeholders."),
    _b("bullet", "Drove the migration to AWS, with a cost budget of $2.4M a year."),
    _b("job", "Technical Advisor (part-time)"),
    _b("text", "Kiva Microfunds, Remote — 2019 – 2021"),
    _b("bullet", "Advised on architecture reviews and hiring for the volunteer engineering team."),
    _b("job", "Tech Lead"),
    _b("text", "Etsy, Brooklyn, NY — 2015 – 2018"),
    _b("bullet", "Tech lead for search infrastructure: Elasticsearch, Kafka, PHP and Scala services."),
    _b("bullet", "Ran Scrum ceremonies and mentored five engineers."),
    _b("job", "Senior Software Engineer"),
    _b("text", "Etsy, Brooklyn, NY — 2012 – 2015"),
    _b("bullet", "Built listing services in PHP and MySQL; introduced feature flags and continuous deployment."),
    _b("heading", "Education"),
    _b("text", "MBA, Columbia Business School, 2016"),
    _b("text", "B.S. Computer Science, Rutgers University, 2012"),
    _b("heading", "Skills"),
    _b("text", "People management, hiring, stakeholder management, Agile / Scrum, Jira, Java, Kotlin, AWS, "
               "system design"),
]  # fmt: skip
MANAGER_TRUTH = {
    "name": "David Okafor",
    "email": "david.okafor@example.com",
    "phone": "+16465550143",
    "links": ["https://linkedin.com/in/davidokafor"],
    "skills": [
        "Java", "Kotlin", "Hiring", "OKRs", "Roadmapping", "AWS", "Software Architecture", "Technical Leadership",
        "Elasticsearch", "Apache Kafka", "PHP", "Scala", "Scrum", "Mentoring", "MySQL", "Feature Flags",
        "CI/CD", "People Management", "Stakeholder Management", "Agile", "Jira", "System Design",
        "Cloud Migration",  # "Drove the migration to AWS": missed when the truth was first written
    ],
    "experience": [
        {"title": "Engineering Manager", "company": "Stripe", "start": "2018-04", "end": "present"},
        {"title": "Technical Advisor (part-time)", "company": "Kiva Microfunds", "start": "2019-01", "end": "2021-01"},
        {"title": "Tech Lead", "company": "Etsy", "start": "2015-01", "end": "2018-01"},
        {"title": "Senior Software Engineer", "company": "Etsy", "start": "2012-01", "end": "2015-01"},
    ],
    "education": [
        {"degree": "MBA", "institution": "Columbia Business School", "year": 2016},
        {"degree": "B.S. Computer Science", "institution": "Rutgers University", "year": 2012},
    ],
    # Jan 2012 .. Jan 2018 (73 months) + Apr 2018 .. Nov 2026 (104 months); the advisory role overlaps.
    "total_years": 14.75,
    "primary_field": "management",
    "extraction_method": "text",
}  # fmt: skip

CLOUD_ARCHITECT = [
    _b("name", "Ana Souza"),
    _b("subtitle", "Cloud Solutions Architect"),
    _b("contact", "ana.souza@example.com  •  +55 11 91234 5678  •  linkedin.com/in/anasouza"),
    _b("heading", "About"),
    _b("text", "Architect with a decade on Amazon Web Services and Microsoft Azure, helping banks move "
               "regulated workloads to the cloud."),
    _b("heading", "Experience"),
    _b("job", "Principal Cloud Architect at Nubank (Since 2021)"),
    _b("text", "Designed the multi-account AWS landing zone with Control Tower, IAM and Terraform."),
    _b("text", "Led the Well-Architected reviews for 40 workloads; cut spend 22% with FinOps practices."),
    _b("text", "Built event pipelines on Amazon Kinesis and AWS Lambda."),
    _b("job", "Cloud Architect at Itaú Unibanco (Jan '18 – Dec '20)"),
    _b("text", "Moved core banking APIs to Azure Kubernetes Service (AKS) and Azure Functions."),
    _b("text", "Set up hybrid connectivity (VPN, ExpressRoute) and disaster recovery across two regions."),
    _b("job", "Systems Engineer at IBM Brasil (Feb '14 – Dec '17)"),
    _b("text", "Ran VMware and Red Hat Enterprise Linux estates; automated provisioning with Ansible."),
    _b("heading", "Education"),
    _b("text", "B.Eng. Computer Engineering – Universidade de São Paulo – 2013"),
    _b("heading", "Certifications"),
    _b("text", "AWS Certified Solutions Architect – Professional; Microsoft Certified: Azure Solutions "
               "Architect Expert; Google Cloud Professional Cloud Architect"),
]  # fmt: skip
CLOUD_ARCHITECT_TRUTH = {
    "name": "Ana Souza",
    "email": "ana.souza@example.com",
    "phone": "+5511912345678",
    "links": ["https://linkedin.com/in/anasouza"],
    "skills": [
        "AWS", "Azure", "AWS Organizations", "IAM", "Terraform", "Well-Architected Framework",
        "Cloud Cost Optimization", "Amazon Kinesis", "AWS Lambda", "Azure Kubernetes Service", "Azure Functions",
        "VPN", "ExpressRoute", "Disaster Recovery", "VMware", "Red Hat Enterprise Linux", "Ansible", "GCP",
    ],
    "experience": [
        {"title": "Principal Cloud Architect", "company": "Nubank", "start": "2021-01", "end": "present"},
        {"title": "Cloud Architect", "company": "Itaú Unibanco", "start": "2018-01", "end": "2020-12"},
        {"title": "Systems Engineer", "company": "IBM Brasil", "start": "2014-02", "end": "2017-12"},
    ],
    "education": [
        {"degree": "B.Eng. Computer Engineering", "institution": "Universidade de São Paulo", "year": 2013},
    ],
    "total_years": 12.83,  # Feb 2014 .. Nov 2026: 154 months
    "primary_field": "cloud_architecture",
    "extraction_method": "text",
}  # fmt: skip


# --- renderers ---------------------------------------------------------------------------------------


def _pdf() -> Any:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(_FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title("Resume")
    pdf.set_creation_date(_fixed_date())
    return pdf


def _fixed_date() -> Any:  # fixed, so regenerated PDFs are byte-stable
    from datetime import UTC, datetime

    return datetime(2026, 1, 1, tzinfo=UTC)


_FIXED_TIME = time.gmtime(1767225600)  # 2026-01-01, Pillow's PDF writer takes a struct_time

_STYLE = {
    "name": ("B", 18, 9),
    "subtitle": ("", 12, 6),
    "contact": ("", 9, 5),
    "heading": ("B", 11, 7),
    "job": ("B", 10, 5.5),
    "bullet": ("", 9.5, 5),
    "text": ("", 9.5, 5),
}


def _write_blocks(pdf: Any, blocks: list[Block], x: float, width: float) -> None:
    for block in blocks:
        style, size, height = _STYLE[block.kind]
        pdf.set_font("DejaVu", style, size)
        pdf.set_x(x)
        if block.kind == "heading":
            pdf.ln(2)
            pdf.set_x(x)
        if block.kind == "job" and block.right:
            y = pdf.get_y()
            pdf.cell(width - 45, height, block.text)
            pdf.set_xy(x + width - 45, y)
            pdf.set_font("DejaVu", "", 9.5)
            pdf.cell(45, height, block.right, align="R", new_x="LMARGIN", new_y="NEXT")
            continue
        text = f"• {block.text}" if block.kind == "bullet" else block.text
        pdf.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT")


def render_one_column(blocks: list[Block]) -> bytes:
    pdf = _pdf()
    pdf.add_page()
    _write_blocks(pdf, blocks, pdf.l_margin, pdf.epw)
    return bytes(pdf.output())


def render_two_column(sidebar: list[Block], main: list[Block]) -> bytes:
    """A grey sidebar on the left drawn first, then the main column: text comes out column by column."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_fill_color(238, 238, 238)
    pdf.rect(0, 0, 62, 297, style="F")
    pdf.set_y(18)
    _write_blocks(pdf, sidebar, 8, 50)
    pdf.set_y(15)
    pdf.set_left_margin(70)
    _write_blocks(pdf, main, 70, 128)
    return bytes(pdf.output())


def render_table_docx() -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.author = "fixture"
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = "Sofia Lindqvist"
    left.paragraphs[0].runs[0].font.size = Pt(20)
    left.add_paragraph("Frontend Developer")
    right.text = "sofia.lindqvist@example.se"
    for line in ("+46 70 123 45 67", "Stockholm, Sweden", "https://sofialindqvist.se"):
        right.add_paragraph(line)
    document.add_heading("Experience", level=1)
    jobs = document.add_table(rows=0, cols=2)
    for dates, title, company, bullets in TABLE_DOCX_JOBS:
        date_cell, body = jobs.add_row().cells
        date_cell.text = dates
        body.text = title
        body.add_paragraph(company)
        for bullet in bullets:
            body.add_paragraph(bullet, style="List Bullet")
    document.add_heading("Skills", level=1)
    skills = document.add_table(rows=0, cols=2)
    for label, values in TABLE_DOCX_SKILLS:
        label_cell, values_cell = skills.add_row().cells
        label_cell.text = label
        values_cell.text = values
    document.add_heading("Education", level=1)
    education = document.add_table(rows=1, cols=2)
    education.rows[0].cells[0].text = "2012 – 2015"
    education.rows[0].cells[1].text = "BSc Interaction Design"
    education.rows[0].cells[1].add_paragraph("Malmö University")
    return _docx_bytes(document)


def render_paragraph_docx(blocks: list[Block]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.author = "fixture"
    add_blocks(document, blocks)
    return _docx_bytes(document)


def add_blocks(document: Any, blocks: list[Block]) -> None:
    """The blocks as DOCX paragraphs: name and headings as headings, jobs bold, bullets as list items."""
    for block in blocks:
        if block.kind == "name":
            document.add_heading(block.text, level=0)
        elif block.kind == "heading":
            document.add_heading(block.text, level=1)
        elif block.kind == "job":
            document.add_paragraph().add_run(block.text).bold = True
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        else:
            document.add_paragraph(block.text)


def _docx_bytes(document: Any) -> bytes:
    from datetime import datetime

    document.core_properties.created = datetime(2026, 1, 1)
    document.core_properties.modified = datetime(2026, 1, 1)
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same archive with fixed member timestamps, so regenerated DOCX files are byte-identical."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            stable = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            stable.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stable, source.read(info))
    return out.getvalue()


def render_scanned(lines: list[tuple[str, str]], *, serif: bool = False) -> bytes:
    """Text drawn on a 150-dpi A4 bitmap, slightly rotated and speckled, saved as an image-only PDF."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 1240, 1754
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    family = "DejaVuSerif" if serif else "DejaVuSans"
    fonts = {
        size: ImageFont.truetype(str(_FONT_DIR / (f"{family}-Bold.ttf" if bold else f"{family}.ttf")), size)
        for size, bold in ((44, True), (28, False), (22, False), (26, True), (23, True))
    }
    sizes = {"name": 44, "subtitle": 28, "text": 22, "heading": 26, "job": 23}
    y = 90
    for kind, text in lines:
        if kind == "gap":
            y += 18
            continue
        font = fonts[sizes[kind]]
        if kind == "job":
            left, right = text.split("|")
            draw.text((90, y), left, font=font, fill=20)
            right_width = draw.textlength(right, font=font)
            draw.text((width - 90 - right_width, y), right, font=font, fill=20)
        else:
            draw.text((90, y), text, font=font, fill=20)
        y += int(sizes[kind] * 1.6)
    rng = random.Random(7)
    for _ in range(1500):  # scanner dust
        image.putpixel((rng.randrange(width), rng.randrange(height)), rng.randrange(90, 200))
    image = image.rotate(0.4, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)
    buffer = io.BytesIO()
    image.convert("1", dither=Image.Dither.NONE).save(
        buffer, format="PDF", resolution=150.0, creationDate=_FIXED_TIME, modDate=_FIXED_TIME
    )
    return buffer.getvalue()


# --- holdout CVs: written after the analyzer was frozen, never used to tune it --------------------------

HOLDOUT_FULLSTACK_TXT = """# Daniel Kim
Full-Stack Developer · Seoul / Remote
daniel.kim@example.kr · +82 10-1234-5678 · https://danielkim.dev · github.com/dkim

## About
Full-stack developer who likes boring technology and fast feedback loops. Most of my work is TypeScript end to end.

## Work
**Staff Engineer**, Toss — Feb. 2022 – present
* Own the merchant dashboard: Next.js front end, NestJS back end, PostgreSQL and Redis.
* Introduced Playwright end-to-end tests and cut flaky builds from 12% to 1%.
* Ran the migration from REST to GraphQL for 30 internal APIs.

**Software Engineer**, Kakao — 2019 – Jan 2022
* Built chat moderation tools with React, Node.js and MongoDB.
* Deployed services on AWS ECS with Terraform; set up GitHub Actions pipelines.

**Junior Developer**, Woowa Brothers — Mar 2017 – Dec 2018
* Maintained a Django monolith and wrote Celery workers for order notifications.

## Education
B.S. in Computer Science and Engineering, Seoul National University (2017)

## Skills
TypeScript · JavaScript · React · Next.js · Node.js · NestJS · Python · Django · PostgreSQL · MongoDB · Redis · Docker · AWS · Terraform
"""
HOLDOUT_FULLSTACK_TRUTH = {
    "name": "Daniel Kim",
    "email": "daniel.kim@example.kr",
    "phone": "+821012345678",
    "links": ["https://danielkim.dev", "https://github.com/dkim"],
    "skills": [
        "TypeScript", "Next.js", "NestJS", "PostgreSQL", "Redis", "Playwright", "End-to-End Testing",
        "REST APIs", "GraphQL", "React", "Node.js", "MongoDB", "AWS", "Amazon ECS", "Terraform",
        "GitHub Actions", "Django", "Celery", "JavaScript", "Python", "Docker",
    ],
    "experience": [
        {"title": "Staff Engineer", "company": "Toss", "start": "2022-02", "end": "present"},
        {"title": "Software Engineer", "company": "Kakao", "start": "2019-01", "end": "2022-01"},
        {"title": "Junior Developer", "company": "Woowa Brothers", "start": "2017-03", "end": "2018-12"},
    ],
    "education": [
        {"degree": "B.S. in Computer Science and Engineering", "institution": "Seoul National University",
         "year": 2017},
    ],
    "total_years": 9.75,  # Mar 2017 .. Nov 2026: 117 months
    "primary_field": ["frontend", "backend"],  # full-stack: either is right
    "extraction_method": "text",
}  # fmt: skip

HOLDOUT_JAVA = [
    _b("name", "ROBERT NOWAK"),
    _b("subtitle", "Backend Engineer | Kraków, Poland"),
    _b("contact", "robert.nowak@example.com | +48 601 234 567 | linkedin.com/in/robertnowak"),
    _b("heading", "SUMMARY"),
    _b("text", "Java engineer with a long record in banking back ends: high-volume transaction processing, "
               "careful migrations, on-call for systems that cannot go down."),
    _b("heading", "WORK EXPERIENCE"),
    _b("job", "Revolut", "05/2020 – present"),
    _b("text", "Senior Software Engineer"),
    _b("bullet", "Develop payment services in Java 17 and Spring Boot; event streaming over Kafka."),
    _b("bullet", "Designed idempotent APIs and the outbox pattern for exactly-once processing."),
    _b("bullet", "On-call for card authorisation; wrote runbooks and SLOs."),
    _b("job", "Comarch", "05/2016 – 02/2020"),
    _b("text", "Software Engineer"),
    _b("bullet", "Maintained core banking modules (Java 8, Hibernate, Oracle Database)."),
    _b("bullet", "Wrote integration tests with JUnit 5 and Testcontainers; set up SonarQube quality gates."),
    _b("job", "Sabre", "07/2014 – 04/2016"),
    _b("text", "Junior Java Developer"),
    _b("bullet", "Built internal tools on Spring MVC and MySQL."),
    _b("heading", "EDUCATION"),
    _b("text", "M.Sc. Computer Science, AGH University of Science and Technology, 2014"),
    _b("heading", "SKILLS"),
    _b("text", "Java, Kotlin, Spring Boot, Hibernate, Kafka, PostgreSQL, Oracle, Docker, Kubernetes, Jenkins, Git"),
]  # fmt: skip
HOLDOUT_JAVA_TRUTH = {
    "name": "Robert Nowak",
    "email": "robert.nowak@example.com",
    "phone": "+48601234567",
    "links": ["https://linkedin.com/in/robertnowak"],
    "skills": [
        "Java", "Spring Boot", "Apache Kafka", "Stream Processing", "Incident Management", "SLOs", "Hibernate",
        "Oracle Database", "Integration Testing", "JUnit", "Testcontainers", "SonarQube", "Spring", "MySQL",
        "Kotlin", "PostgreSQL", "Docker", "Kubernetes", "Jenkins", "Git",
    ],
    "experience": [
        {"title": "Senior Software Engineer", "company": "Revolut", "start": "2020-05", "end": "present"},
        {"title": "Software Engineer", "company": "Comarch", "start": "2016-05", "end": "2020-02"},
        {"title": "Junior Java Developer", "company": "Sabre", "start": "2014-07", "end": "2016-04"},
    ],
    "education": [
        {"degree": "M.Sc. Computer Science", "institution": "AGH University of Science and Technology",
         "year": 2014},
    ],
    "total_years": 12.25,  # Jul 2014 .. Feb 2020 (68 months) + May 2020 .. Nov 2026 (79 months)
    "primary_field": "backend",
    "extraction_method": "text",
}  # fmt: skip

HOLDOUT_DATA_SCIENTIST = [
    _b("name", "Dr. Amara Nwosu"),
    _b("contact", "Data Scientist — amara.nwosu@example.co.uk — 07700 900123 — London"),
    _b("heading", "Experience"),
    _b("job", "Lead Data Scientist, Ocado Technology"),
    _b("text", "September 2021 – Present"),
    _b("bullet", "Built demand forecasting models (LightGBM, Prophet) for 40,000 products."),
    _b("bullet", "Led a team of four; set up MLflow and model monitoring on Databricks."),
    _b("job", "Data Scientist, Bupa"),
    _b("text", "June 2018 to August 2021"),
    _b("bullet", "Churn and claims models in Python (pandas, scikit-learn) and SQL on Snowflake."),
    _b("bullet", "Presented findings to executives with Tableau."),
    _b("heading", "Education"),
    _b("text", "Ph.D. in Physics, University of Toronto, 2018"),
    _b("text", "B.Sc. Physics, University of Lagos, 2012"),
]  # fmt: skip
HOLDOUT_DATA_SCIENTIST_SKILLS = [
    ("Modelling", "Regression, gradient boosting, time series, causal inference"),
    ("Tools", "Python, R, SQL, Spark, Airflow, Git"),
]
HOLDOUT_DATA_SCIENTIST_TRUTH = {
    "name": "Amara Nwosu",
    "email": "amara.nwosu@example.co.uk",
    "phone": "07700900123",
    "links": [],
    "skills": [
        "LightGBM", "Prophet", "MLflow", "Model Monitoring", "Databricks", "Python", "Pandas", "scikit-learn",
        "SQL", "Snowflake", "Tableau", "Regression", "Gradient Boosting", "Time Series Forecasting",
        "Causal Inference", "R", "Apache Spark", "Apache Airflow", "Git",
    ],
    "experience": [
        {"title": "Lead Data Scientist", "company": "Ocado Technology", "start": "2021-09", "end": "present"},
        {"title": "Data Scientist", "company": "Bupa", "start": "2018-06", "end": "2021-08"},
    ],
    "education": [
        {"degree": "Ph.D. in Physics", "institution": "University of Toronto", "year": 2018},
        {"degree": "B.Sc. Physics", "institution": "University of Lagos", "year": 2012},
    ],
    "total_years": 8.5,  # Jun 2018 .. Nov 2026: 102 months
    "primary_field": ["ml", "data"],
    "extraction_method": "text",
}  # fmt: skip

HOLDOUT_SCANNED_LINES = [
    ("name", "Carlos Mendes"),
    ("subtitle", "Cloud & DevOps Engineer — Lisbon, Portugal"),
    ("text", "carlos.mendes@example.pt    +351 912 345 678"),
    ("gap", ""),
    ("heading", "PROFILE"),
    ("text", "Infrastructure engineer. I automate everything I touch."),
    ("gap", ""),
    ("heading", "EXPERIENCE"),
    ("job", "Farfetch — DevOps Engineer|Apr 2019 - Present"),
    ("text", "- Operate EKS clusters with Helm and Argo CD; GitOps for 200 services."),
    ("text", "- Cut the AWS bill by 30% with Karpenter and spot instances."),
    ("job", "OutSystems — Systems Administrator|Apr 2015 - Mar 2019"),
    ("text", "- Managed VMware and Windows Server; automated with PowerShell and Ansible."),
    ("gap", ""),
    ("heading", "EDUCATION"),
    ("text", "Licenciatura in Informatics Engineering, Universidade do Porto, 2015"),
    ("gap", ""),
    ("heading", "SKILLS"),
    ("text", "AWS, Kubernetes, Terraform, Helm, Argo CD, Prometheus, Python, Bash"),
]
HOLDOUT_SCANNED_TRUTH = {
    "name": "Carlos Mendes",
    "email": "carlos.mendes@example.pt",
    "phone": "+351912345678",
    "links": [],
    "skills": [
        "DevOps", "Amazon EKS", "Helm", "Argo CD", "GitOps", "AWS", "Karpenter", "VMware", "Windows Server",
        "PowerShell", "Ansible", "Kubernetes", "Terraform", "Prometheus", "Python", "Bash",
    ],
    "experience": [
        {"title": "DevOps Engineer", "company": "Farfetch", "start": "2019-04", "end": "present"},
        {"title": "Systems Administrator", "company": "OutSystems", "start": "2015-04", "end": "2019-03"},
    ],
    "education": [
        {"degree": "Licenciatura in Informatics Engineering", "institution": "Universidade do Porto",
         "year": 2015},
    ],
    "total_years": 11.67,  # Apr 2015 .. Nov 2026: 140 months
    "primary_field": "devops",
    "extraction_method": "ocr",
}  # fmt: skip


def render_docx_with_skill_table(blocks: list[Block], skill_rows: list[tuple[str, str]]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.author = "fixture"
    for block in blocks:
        if block.kind == "name":
            document.add_heading(block.text, level=0)
        elif block.kind == "heading":
            document.add_heading(block.text, level=1)
        elif block.kind == "job":
            document.add_paragraph().add_run(block.text).bold = True
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        else:
            document.add_paragraph(block.text)
    document.add_heading("Skills", level=1)
    table = document.add_table(rows=0, cols=2)
    for label, values in skill_rows:
        left, right = table.add_row().cells
        left.text, right.text = label, values
    return _docx_bytes(document)


HOLDOUT_BUILDERS: dict[str, tuple[Callable[[], bytes], dict[str, Any]]] = {
    "fullstack.txt": (lambda: HOLDOUT_FULLSTACK_TXT.encode("utf-8"), HOLDOUT_FULLSTACK_TRUTH),
    "backend_java.pdf": (lambda: render_one_column(HOLDOUT_JAVA), HOLDOUT_JAVA_TRUTH),
    "data_scientist.docx": (
        lambda: render_docx_with_skill_table(HOLDOUT_DATA_SCIENTIST, HOLDOUT_DATA_SCIENTIST_SKILLS),
        HOLDOUT_DATA_SCIENTIST_TRUTH,
    ),
    "scanned_devops.pdf": (lambda: render_scanned(HOLDOUT_SCANNED_LINES, serif=True), HOLDOUT_SCANNED_TRUTH),
}


# --- output -----------------------------------------------------------------------------------------

FIXTURE_BUILDERS: dict[str, tuple[Callable[[], bytes], dict[str, Any]]] = {
    "one_column.pdf": (lambda: render_one_column(ONE_COLUMN), ONE_COLUMN_TRUTH),
    "two_column.pdf": (lambda: render_two_column(TWO_COLUMN_SIDEBAR, TWO_COLUMN_MAIN), TWO_COLUMN_TRUTH),
    "table_layout.docx": (render_table_docx, TABLE_DOCX_TRUTH),
    "plain.txt": (lambda: PLAIN_TXT.encode("utf-8"), PLAIN_TXT_TRUTH),
    "european_dates.pdf": (lambda: render_one_column(EUROPEAN_DATES), EUROPEAN_DATES_TRUTH),
    "scanned.pdf": (lambda: render_scanned(SCANNED_LINES), SCANNED_TRUTH),
    "manager.docx": (lambda: render_paragraph_docx(MANAGER_DOCX), MANAGER_TRUTH),
    "cloud_architect.pdf": (lambda: render_one_column(CLOUD_ARCHITECT), CLOUD_ARCHITECT_TRUTH),
}


def main() -> None:
    for folder, builders in ((FIXTURES, FIXTURE_BUILDERS), (FIXTURES / "holdout", HOLDOUT_BUILDERS)):
        folder.mkdir(exist_ok=True)
        for filename, (build, truth) in builders.items():
            data = build()
            (folder / filename).write_bytes(data)
            stem = filename.rsplit(".", 1)[0]
            record = {"file": filename, "today": TRUTH_TODAY, **truth}
            (folder / f"{stem}.truth.json").write_text(
                json.dumps(record, indent=2, ensure_ascii=False) + "\n"
            )
            print(f"{folder.name}/{filename}: {len(data) / 1024:.1f} kB")


if __name__ == "__main__":
    main()
