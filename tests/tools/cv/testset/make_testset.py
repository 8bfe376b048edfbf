"""Generate the blind CV test set in tests/tools/cv/testset/ and its ground truth (<stem>.truth.json).

Run: .venv/bin/python -m tests.tools.cv.testset.make_testset

Fifteen resumes, one per person, written by hand without looking at the analyzer's skill taxonomy or its
skill code. Each resume is held here as data (blocks for the PDF/DOCX renderers, plain strings for the text
files, lines for the scanned PDFs) next to a hand-written truth. The rules used for the skill truth are in
README.md. "present" means the month of TRUTH_TODAY; total_years is the union of the job ranges in months
(both ends inclusive) / 12, written by hand and checked against the experience list when the files are
written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.tools.cv.make_fixtures import (
    TRUTH_TODAY,
    Block,
    _b,
    _docx_bytes,
    add_blocks,
    render_one_column,
    render_paragraph_docx,
    render_scanned,
    render_two_column,
)

TESTSET = Path(__file__).parent


# --- 1. mobile engineer (Android + iOS), one-column PDF ----------------------------------------------------

MOBILE = [
    _b("name", "Mateo Fernández"),
    _b("subtitle", "Senior Mobile Engineer (Android & iOS)"),
    _b("contact", "mateo.fernandez@example.es · +34 612 345 678 · Madrid, Spain"),
    _b("contact", "github.com/mateofdz · mateofernandez.dev"),
    _b("heading", "Summary"),
    _b("text", "Mobile engineer with 10 years building native apps used by millions. Kotlin-first on Android, "
               "comfortable in Swift on iOS, and pragmatic about cross-platform when it pays off. I leave "
               "codebases easier to test than I found them."),
    _b("heading", "Experience"),
    _b("job", "Senior Android Engineer — Cabify, Madrid", "Apr 2021 – Present"),
    _b("bullet", "Lead the rider app's move to Jetpack Compose; 70% of screens migrated so far."),
    _b("bullet", "Split a 400k-line Kotlin codebase into 60 Gradle modules and wired them together with Hilt; "
                 "clean builds down from 14 to 6 minutes."),
    _b("bullet", "Replaced RxJava with Kotlin Coroutines in the trip-tracking layer; networking on Retrofit + "
                 "OkHttp, offline cache in Room, background uploads with WorkManager."),
    _b("bullet", "Set up Paparazzi snapshot tests and Espresso UI tests on Firebase Test Lab, run from "
                 "GitHub Actions on every pull request."),
    _b("bullet", "Cut the crash rate from 0.9% to 0.15% by triaging Firebase Crashlytics reports weekly."),
    _b("job", "iOS Engineer — Glovo, Barcelona", "Jun 2018 – Mar 2021"),
    _b("bullet", "Built the courier app's order flow in Swift with UIKit and, later, SwiftUI and Combine."),
    _b("bullet", "Networking with Alamofire, image caching with Kingfisher; dependencies through Swift Package "
                 "Manager and CocoaPods."),
    _b("bullet", "Unit and snapshot tests in XCTest; release trains automated with Fastlane and Bitrise."),
    _b("bullet", "Agreed the GraphQL schema with the backend team and integrated it through the Apollo iOS "
                 "client; Core Data for the offline order queue."),
    _b("job", "Mobile Developer — everis, Madrid", "Sep 2016 – May 2018"),
    _b("bullet", "Delivered banking and insurance apps for clients in Java for Android and Objective-C for iOS."),
    _b("bullet", "Built two React Native prototypes for a retail client; the final apps were shipped natively."),
    _b("bullet", "The client's back office ran on SAP; our team only consumed it through a middleware the "
                 "client maintained."),
    _b("heading", "Education"),
    _b("job", "BSc Software Engineering"),
    _b("text", "Universidad Politécnica de Madrid, 2012 – 2016"),
    _b("heading", "Technical Skills"),
    _b("text", "Android: Kotlin, Java, Jetpack Compose, Coroutines, Room, Retrofit, OkHttp, Dagger 2 / Hilt, "
               "WorkManager, Gradle (KTS)"),
    _b("text", "iOS: Swift 5.9, SwiftUI, UIKit, Combine, Core Data, Alamofire, Kingfisher, XCTest"),
    _b("text", "Cross-platform & tooling: React Native, Kotlin Multiplatform (KMM), Firebase, Fastlane, Bitrise, "
               "GitHub Actions, Git, Jira"),
    _b("text", "Architecture: MVVM, MVI, Clean Architecture"),
    _b("heading", "Languages"),
    _b("text", "Spanish (native), English (C1), Catalan (B2)"),
]  # fmt: skip
MOBILE_TRUTH = {
    "name": "Mateo Fernández",
    "email": "mateo.fernandez@example.es",
    "phone": "+34612345678",
    "links": ["https://github.com/mateofdz", "https://mateofernandez.dev"],
    "skills": [
        "Android", "iOS", "Kotlin", "Swift", "Jetpack Compose", "Gradle", "Hilt", "RxJava", "Kotlin Coroutines",
        "Retrofit", "OkHttp", "Room", "WorkManager", "Paparazzi", "Snapshot Testing", "Espresso", "UI Testing",
        "Firebase Test Lab", "GitHub Actions", "Firebase Crashlytics", "UIKit", "SwiftUI", "Combine",
        "Alamofire", "Kingfisher", "Swift Package Manager", "CocoaPods", "XCTest", "Unit Testing", "Fastlane",
        "Bitrise", "GraphQL", "Apollo iOS", "Core Data", "Java", "Objective-C", "React Native", "Dagger",
        "Kotlin Multiplatform", "Firebase", "Git", "Jira", "MVVM", "MVI", "Clean Architecture",
    ],
    "experience": [
        {"title": "Senior Android Engineer", "company": "Cabify", "start": "2021-04", "end": "present"},
        {"title": "iOS Engineer", "company": "Glovo", "start": "2018-06", "end": "2021-03"},
        {"title": "Mobile Developer", "company": "everis", "start": "2016-09", "end": "2018-05"},
    ],
    "education": [
        {"degree": "BSc Software Engineering", "institution": "Universidad Politécnica de Madrid", "year": 2016},
    ],
    "total_years": 10.25,  # Sep 2016 .. Nov 2026: 123 months
    "primary_field": "mobile",
    "extraction_method": "text",
    "field": "mobile engineer (Android and iOS)",
    "format": "pdf one-column",
}  # fmt: skip


# --- 2. ML engineer (computer vision), two-column PDF ------------------------------------------------------

ML_SIDEBAR = [
    _b("heading", "CONTACT"),
    _b("text", "zhang.wei@example.sg"),
    _b("text", "+65 9123 4567"),
    _b("text", "Singapore"),
    _b("text", "github.com/zhangwei-cv"),
    _b("heading", "SKILLS"),
    _b("text", "Python · C++ · CUDA"),
    _b("text", "PyTorch, TF/Keras"),
    _b("text", "OpenCV, albumentations"),
    _b("text", "HF Transformers"),
    _b("text", "ONNX · TensorRT"),
    _b("text", "Triton Inference Server"),
    _b("text", "Label Studio, CVAT"),
    _b("text", "Weights & Biases"),
    _b("text", "Docker, k8s"),
    _b("text", "GCP (Vertex AI)"),
    _b("heading", "LANGUAGES"),
    _b("text", "Mandarin (native)"),
    _b("text", "English (fluent)"),
    _b("text", "Cantonese (basic)"),
]
ML_MAIN = [
    _b("name", "ZHANG WEI"),
    _b("subtitle", "Machine Learning Engineer — CV"),
    _b("heading", "PROFILE"),
    _b("text", "ML engineer working on CV for logistics and manufacturing: detection, segmentation and OCR, "
               "from data labelling to models running on NVIDIA Jetson devices in factories."),
    _b("heading", "EXPERIENCE"),
    _b("job", "Grab"),
    _b("text", "Senior Machine Learning Engineer"),
    _b("text", "2022.03 – now"),
    _b("bullet", "Own the ID-document OCR and field extraction models for driver onboarding: fine-tuned "
                 "LayoutLMv3 with HF Transformers, served on Triton."),
    _b("bullet", "Quantised detectors to INT8 with TensorRT; p99 latency from 180 ms to 45 ms."),
    _b("bullet", "Built the labelling loop in Label Studio with model-assisted pre-annotation; 40% fewer "
                 "human hours per dataset."),
    _b("bullet", "Experiment tracking in Weights & Biases; distributed training on GKE with PyTorch DDP."),
    _b("job", "Foxconn Industrial Internet"),
    _b("text", "Computer Vision Engineer"),
    _b("text", "2019.07 – 2022.02"),
    _b("bullet", "PCB defect detection with YOLOv5 and Mask R-CNN; deployed to Jetson with ONNX and TensorRT."),
    _b("bullet", "Annotated 120k images in CVAT; wrote data augmentation pipelines with albumentations and "
                 "OpenCV."),
    _b("bullet", "C++ inference service with custom CUDA kernels for pre-processing."),
    _b("job", "SenseTime"),
    _b("text", "Research Intern"),
    _b("text", "2018.07 – 2018.12"),
    _b("bullet", "Joined a team whose tracking stack was written in Caffe and Lua; my part was the Python "
                 "evaluation harness and dataset tooling."),
    _b("heading", "EDUCATION"),
    _b("job", "M.Eng. Computer Science and Technology"),
    _b("text", "Shenzhen University"),
    _b("text", "2016 – 2019"),
]  # fmt: skip
ML_TRUTH = {
    "name": "Zhang Wei",
    "email": "zhang.wei@example.sg",
    "phone": "+6591234567",
    "links": ["https://github.com/zhangwei-cv"],
    "skills": [
        "Python", "C++", "CUDA", "PyTorch", "TensorFlow", "Keras", "OpenCV", "Albumentations",
        "Hugging Face Transformers", "ONNX", "TensorRT", "Triton Inference Server", "Label Studio", "CVAT",
        "Weights & Biases", "Docker", "Kubernetes", "GCP", "Vertex AI", "Machine Learning", "Computer Vision",
        "Object Detection", "Image Segmentation", "OCR", "NVIDIA Jetson", "Data Labeling", "LayoutLM",
        "Fine-Tuning", "Model Quantization", "Experiment Tracking", "Distributed Training",
        "Google Kubernetes Engine", "YOLO", "Mask R-CNN", "Data Augmentation",
    ],
    "experience": [
        {"title": "Senior Machine Learning Engineer", "company": "Grab", "start": "2022-03", "end": "present"},
        {"title": "Computer Vision Engineer", "company": "Foxconn Industrial Internet", "start": "2019-07",
         "end": "2022-02"},
        {"title": "Research Intern", "company": "SenseTime", "start": "2018-07", "end": "2018-12"},
    ],
    "education": [
        {"degree": "M.Eng. Computer Science and Technology", "institution": "Shenzhen University", "year": 2019},
    ],
    "total_years": 7.92,  # Jul 2018 .. Dec 2018 (6 months) + Jul 2019 .. Nov 2026 (89 months)
    "primary_field": "ml",
    "extraction_method": "text",
    "field": "machine learning engineer (computer vision, document OCR)",
    "format": "pdf two-column",
}  # fmt: skip


# --- 3. cloud solutions architect (Azure), text file with pipes ---------------------------------------------

CLOUD_TXT = """FATIMA AL-MANSOURI | Cloud Solutions Architect | Dubai, UAE
fatima.almansouri@example.ae | +971 50 123 4567 | linkedin.com/in/fatima-almansouri

PROFILE
Azure architect with 13+ years in infrastructure, the last seven designing landing zones, migrations and
zero-trust networks for banks and airlines in the Gulf.

CORE SKILLS
Azure | AKS | Azure Functions | ADO | Bicep | ARM templates | Terraform | Azure Policy | Entra ID (Azure AD) |
ExpressRoute | Hub-and-spoke networking | Azure Monitor | Microsoft Sentinel | Cosmos DB | Azure SQL |
Service Bus | PowerShell | FinOps | TOGAF

EXPERIENCE
Principal Cloud Architect | Emirates NBD | Dubai | 03/2020 - Present
- Designed the enterprise-scale landing zone (Cloud Adoption Framework) for 180 subscriptions, deployed with
  Bicep through ADO pipelines.
- Led the migration of 300 VMs and 40 SQL Server databases from VMware to Azure with zero data loss.
- Defined guardrails with Azure Policy; Privileged Identity Management for all admin access.
- Architected a zero-trust network: hub-and-spoke VNets, Azure Firewall and ExpressRoute to two on-prem
  data centres.
- Chair the cloud architecture review board; wrote the bank's reference architectures for AKS and Azure
  Functions.
- The core banking system (Temenos T24) stays on-premises and is run by another department.

Cloud Solutions Architect | Avanade | Dubai | 08/2016 - 02/2020
- Pre-sales and delivery architect for airline and government customers on Azure.
- Designed multi-region disaster recovery with Azure Site Recovery and Traffic Manager.
- Wrote Terraform modules and PowerShell DSC configurations, and trained customer teams to maintain them.
- Built event-driven integrations on Service Bus and Azure Functions; Cosmos DB as the booking cache.

Infrastructure Engineer | Etihad Airways | Abu Dhabi | 01/2013 - 07/2016
- Ran Windows Server and Hyper-V clusters, Active Directory and SCCM for 9,000 users.
- Automated capacity reporting with PowerShell.
- Moved email to Office 365 (Exchange Online); the go live fell in Ramadan, so we planned a swift
  overnight cut-over.

EDUCATION
BSc Computer Engineering | American University of Sharjah | 2012

CERTIFICATIONS
AZ-305 Azure Solutions Architect Expert | AZ-104 Azure Administrator | CKA | TOGAF 9 Certified

LANGUAGES
Arabic (native) | English (fluent) | French (basic)
"""
CLOUD_TRUTH = {
    "name": "Fatima Al-Mansouri",
    "email": "fatima.almansouri@example.ae",
    "phone": "+971501234567",
    "links": ["https://linkedin.com/in/fatima-almansouri"],
    "skills": [
        "Azure", "Azure Kubernetes Service", "Azure Functions", "Azure DevOps", "Bicep", "ARM Templates",
        "Terraform", "Azure Policy", "Microsoft Entra ID", "ExpressRoute", "Hub-and-Spoke Networking",
        "Azure Monitor", "Microsoft Sentinel", "Azure Cosmos DB", "Azure SQL Database", "Azure Service Bus",
        "PowerShell", "FinOps", "TOGAF", "Azure Landing Zones", "Cloud Adoption Framework", "Cloud Migration",
        "Microsoft SQL Server", "VMware", "Privileged Identity Management", "Zero Trust",
        "Azure Virtual Network", "Azure Firewall", "Cloud Architecture", "Pre-Sales", "Disaster Recovery",
        "Azure Site Recovery", "Azure Traffic Manager", "PowerShell DSC", "Event-Driven Architecture",
        "Windows Server", "Hyper-V", "Active Directory", "SCCM", "Microsoft 365", "Exchange Online",
        "Kubernetes",
    ],
    "experience": [
        {"title": "Principal Cloud Architect", "company": "Emirates NBD", "start": "2020-03", "end": "present"},
        {"title": "Cloud Solutions Architect", "company": "Avanade", "start": "2016-08", "end": "2020-02"},
        {"title": "Infrastructure Engineer", "company": "Etihad Airways", "start": "2013-01", "end": "2016-07"},
    ],
    "education": [
        {"degree": "BSc Computer Engineering", "institution": "American University of Sharjah", "year": 2012},
    ],
    "total_years": 13.92,  # Jan 2013 .. Nov 2026: 167 months
    "primary_field": "cloud_architecture",
    "extraction_method": "text",
    "field": "cloud solutions architect (Azure)",
    "format": "txt",
}  # fmt: skip


# --- 4. data scientist (experimentation), Markdown-style text file ------------------------------------------

DATA_SCIENTIST_MD = """# Ingrid Solberg
**Senior Data Scientist** — Oslo, Norway
ingrid.solberg@example.no | +47 912 34 567 | https://github.com/isolberg | https://www.linkedin.com/in/ingridsolberg

## Summary
Data scientist focused on experimentation and causal questions in two-sided marketplaces. I design A/B tests,
build the models behind pricing and search, and explain the results so product teams actually act on them.

## Experience

### Senior Data Scientist — FINN.no
*Aug 2021 – present · Oslo*
- Own the statistics of the experimentation platform: CUPED variance reduction, sequential testing and
  guardrail metrics for ~300 A/B tests a year.
- Built a multi-armed bandit (Thompson sampling) for ad placement; +6% revenue per session.
- Time-series forecasting of listing volume with Prophet and LightGBM.
- Causal inference on observational data (difference-in-differences, propensity score matching) where
  experiments were not possible.
- Stack: Python (pandas, statsmodels, scikit-learn), SQL on BigQuery, dbt, Looker.

### Data Scientist — Telenor
*Feb 2018 – Jul 2021 · Fornebu*
- Churn models with gradient boosting (XGBoost) and survival analysis (lifelines) for 3M mobile subscribers.
- Uplift modelling to target retention offers; saved NOK 40M a year.
- Put models into production with MLflow and Airflow on Azure Databricks.
- Wrote the internal style guide for charts in matplotlib and seaborn.

### Analyst (summer internship) — Equinor
*Jun 2017 – Aug 2017 · Stavanger*
- Analysed sensor data from offshore pumps in R and Spotfire.

## Education
- **MSc Statistics**, University of Oslo, 2018
- **BSc Mathematics**, NTNU, 2016

## Skills
- **Statistics:** hypothesis testing, Bayesian inference, experimental design, causal inference, survival analysis
- **ML:** regression, gradient boosting, time-series forecasting, recommender systems, NLP basics
- **Languages & tools:** Python, R, SQL, PySpark, Git, Docker, Jupyter, Streamlit
- **Visualisation:** Looker, Tableau, matplotlib, seaborn, ggplot2

## Languages
Norwegian (native), English (fluent), German (intermediate)
"""
DATA_SCIENTIST_TRUTH = {
    "name": "Ingrid Solberg",
    "email": "ingrid.solberg@example.no",
    "phone": "+4791234567",
    "links": ["https://github.com/isolberg", "https://www.linkedin.com/in/ingridsolberg"],
    "skills": [
        "A/B Testing", "Causal Inference", "CUPED", "Sequential Testing", "Multi-Armed Bandits",
        "Thompson Sampling", "Time Series Forecasting", "Prophet", "LightGBM", "Difference-in-Differences",
        "Propensity Score Matching", "Python", "Pandas", "statsmodels", "scikit-learn", "SQL", "BigQuery", "dbt",
        "Looker", "Gradient Boosting", "XGBoost", "Survival Analysis", "lifelines", "Uplift Modeling", "MLflow",
        "Apache Airflow", "Azure Databricks", "Matplotlib", "Seaborn", "R", "Spotfire", "Statistics",
        "Hypothesis Testing", "Bayesian Inference", "Experimental Design", "Machine Learning", "Regression",
        "Recommender Systems", "NLP", "PySpark", "Git", "Docker", "Jupyter", "Streamlit", "Data Visualization",
        "Tableau", "ggplot2",
    ],
    "experience": [
        {"title": "Senior Data Scientist", "company": "FINN.no", "start": "2021-08", "end": "present"},
        {"title": "Data Scientist", "company": "Telenor", "start": "2018-02", "end": "2021-07"},
        {"title": "Analyst (summer internship)", "company": "Equinor", "start": "2017-06", "end": "2017-08"},
    ],
    "education": [
        {"degree": "MSc Statistics", "institution": "University of Oslo", "year": 2018},
        {"degree": "BSc Mathematics", "institution": "NTNU", "year": 2016},
    ],
    "total_years": 9.08,  # Jun 2017 .. Aug 2017 (3 months) + Feb 2018 .. Nov 2026 (106 months)
    "primary_field": ["ml", "data"],
    "extraction_method": "text",
    "field": "data scientist (experimentation, causal inference, forecasting)",
    "format": "markdown",
}  # fmt: skip


# --- 5. site reliability engineer, plain text file ---------------------------------------------------------

SRE_TXT = """SIPHO DLAMINI
Senior Site Reliability Engineer

Cape Town, South Africa
Mobile: +27 82 555 0143
E-mail: sipho.dlamini@example.co.za
GitHub: https://github.com/sdlamini-sre

PROFILE:
Reliability engineer with a sysadmin past. Site reliability engineering and DevOps practices for e-commerce
and payments. I like small, dull, well-documented systems and I dislike pages at 3am, so I build the
automation and alerting that prevents them.

TECHNICAL SKILLS:
Cloud: AWS (EC2, EKS, RDS, S3), some GCP
Containers: Docker, k8s, Helm, Argo CD
IaC: Terraform, Terragrunt, Pulumi (TypeScript), Ansible, Packer
Observability: Prometheus, Grafana, Loki, Tempo, OpenTelemetry, PagerDuty
CI/CD: GitLab CI, GH Actions, Jenkins (legacy)
Scripting: Bash, Python, Go
OS & web: Linux (Debian, Ubuntu), Nginx, HAProxy

EXPERIENCE:

Jun 2018 - Present
Senior SRE, Takealot.com, Cape Town
 * Run 14 EKS clusters (about 600 services) for the country's largest online retailer; 99.95% availability
   through two Black Friday peaks.
 * Wrote the team's first Helm charts and moved deployments to GitOps with Argo CD.
 * Migrated alerts from Nagios to Grafana and Prometheus Alertmanager as part of a new observability stack
   (Loki, Tempo, OpenTelemetry); cut noisy pages by 70%.
 * Introduced SLOs and error budgets, blameless postmortems and an on-call rotation in PagerDuty.
 * Rebuilt the infrastructure as code in Terraform/Terragrunt; secrets live in HashiCorp Vault.
 * Built a cost dashboard that saves about R4M a year on EC2 spot instances and Savings Plans.

Feb 2015 - May 2018
DevOps Engineer, Yoco, Cape Town
 * Containerised the payments API with Docker and ran it on ECS before we moved to Kubernetes.
 * Managed configuration with Chef, Puppet and Ansible (we consolidated on Ansible in 2017).
 * Built Jenkins CI/CD pipelines and Packer images for AWS.

Mar 2012 - Jan 2015
Linux Systems Administrator, Hetzner South Africa (now xneelo), Durban
 * Looked after 2,000 Debian and CentOS web hosting servers running Apache and MySQL.
 * Wrote Bash and Perl scripts for provisioning and backups.
 * Once had to go live with a whole new data centre over a long weekend; nobody noticed, which was the point.

EDUCATION:
2011  National Diploma: Information Technology, Durban University of Technology

CERTIFICATIONS:
Certified Kubernetes Administrator (CKA)
HashiCorp Certified: Terraform Associate
AWS Certified DevOps Engineer - Professional

INTERESTS:
Trail running, braai, and a rust-belt project car I will never finish.
"""
SRE_TRUTH = {
    "name": "Sipho Dlamini",
    "email": "sipho.dlamini@example.co.za",
    "phone": "+27825550143",
    "links": ["https://github.com/sdlamini-sre"],
    "skills": [
        "Site Reliability Engineering", "DevOps", "AWS", "Amazon EC2", "Amazon EKS", "Amazon RDS", "Amazon S3",
        "GCP", "Docker", "Kubernetes", "Helm", "Argo CD", "Infrastructure as Code", "Terraform", "Terragrunt",
        "Pulumi", "TypeScript", "Ansible", "Packer", "Observability", "Prometheus", "Grafana", "Loki", "Tempo",
        "OpenTelemetry", "PagerDuty", "CI/CD", "GitLab CI", "GitHub Actions", "Jenkins", "Bash", "Python", "Go",
        "Linux", "Debian", "Ubuntu", "Nginx", "HAProxy", "GitOps", "Nagios", "Alertmanager", "SLOs",
        "Incident Management", "HashiCorp Vault", "Cloud Cost Optimization", "Amazon ECS", "Chef", "Puppet",
        "CentOS", "Apache HTTP Server", "MySQL", "Perl",
    ],
    "experience": [
        {"title": "Senior SRE", "company": "Takealot.com", "start": "2018-06", "end": "present"},
        {"title": "DevOps Engineer", "company": "Yoco", "start": "2015-02", "end": "2018-05"},
        {"title": "Linux Systems Administrator", "company": "Hetzner South Africa", "start": "2012-03",
         "end": "2015-01"},
    ],
    "education": [
        {"degree": "National Diploma: Information Technology", "institution": "Durban University of Technology",
         "year": 2011},
    ],
    "total_years": 14.75,  # Mar 2012 .. Nov 2026: 177 months
    "primary_field": "devops",
    "extraction_method": "text",
    "field": "site reliability / DevOps engineer",
    "format": "txt",
}  # fmt: skip


# --- 6. engineering manager, DOCX with paragraphs ----------------------------------------------------------

MANAGER = [
    _b("name", "Aarav Sharma"),
    _b("contact", "Engineering Manager | Bengaluru, India"),
    _b("contact", "aarav.sharma@example.in | +91 98450 12345 | linkedin.com/in/aaravsharma-em"),
    _b("heading", "Professional Summary"),
    _b("text", "Engineering manager with 14 years in product engineering, the last six leading teams of 8–25 "
               "engineers across backend, mobile and QA. I care about hiring well, clear goals and shipping "
               "on a predictable cadence."),
    _b("heading", "Core Competencies"),
    _b("text", "People management • Hiring • Performance reviews • Career development • OKRs • Agile (Scrum, "
               "Kanban) • Stakeholder management • Budgeting • Vendor management • Incident management • "
               "System design"),
    _b("heading", "Work Experience"),
    _b("job", "Engineering Manager, Swiggy — Bengaluru"),
    _b("text", "July 2020 – Till date"),
    _b("bullet", "Lead the Instamart catalogue and search group: 3 teams, 22 engineers and 2 engineering leads "
                 "reporting to me."),
    _b("bullet", "Hired 30+ engineers in two years; designed the interview loop and trained bar-raisers."),
    _b("bullet", "Run quarterly OKR planning and half-yearly performance reviews; introduced a career ladder "
                 "for SDE1–SDE4."),
    _b("bullet", "My teams' services are written in Go and Kotlin; I review designs but have not written "
                 "production code in either."),
    _b("bullet", "Cut Sev-1 incidents by 60% through on-call hygiene, runbooks and blameless post-mortems."),
    _b("bullet", "Manage an annual budget of ₹18 crore, including two vendors (Thoughtworks and a QA agency)."),
    _b("job", "Engineering Lead, Flipkart — Bengaluru"),
    _b("text", "April 2016 – June 2020"),
    _b("bullet", "Tech lead, then manager, for the seller onboarding and payouts team (9 engineers)."),
    _b("bullet", "Designed the payout scheduling service in Java 8 with Spring Boot, MySQL and Kafka."),
    _b("bullet", "Introduced Scrum, JIRA dashboards and weekly releases."),
    _b("bullet", "Mentored six engineers, three of whom became tech leads."),
    _b("job", "Senior Software Engineer, Infosys — Mysuru / Pune"),
    _b("text", "Aug 2012 – Mar 2016"),
    _b("bullet", "Java/J2EE developer on a banking client's loan origination system (Oracle, WebLogic)."),
    _b("bullet", "Wrote JUnit tests and Selenium scripts; moved the builds from Ant to Maven."),
    _b("heading", "Volunteering"),
    _b("text", "Taught a weekend Python class for career changers — a chef, two bank tellers and a nurse — at "
               "a Bengaluru community centre (2019–2021)."),
    _b("heading", "Education"),
    _b("text", "B.E. Computer Science and Engineering, R.V. College of Engineering, Bengaluru — 2012"),
    _b("text", "Executive Programme in General Management, IIM Bangalore — 2019"),
    _b("heading", "Technical Skills"),
    _b("text", "Java, Spring Boot, MySQL, Kafka, Redis, AWS, Kubernetes (working knowledge), Jira, Confluence, "
               "Grafana"),
    _b("heading", "Languages"),
    _b("text", "English, Hindi, Kannada"),
]  # fmt: skip
MANAGER_TRUTH = {
    "name": "Aarav Sharma",
    "email": "aarav.sharma@example.in",
    "phone": "+919845012345",
    "links": ["https://linkedin.com/in/aaravsharma-em"],
    "skills": [
        "People Management", "Hiring", "Performance Reviews", "Career Development", "OKRs", "Agile", "Scrum",
        "Kanban", "Stakeholder Management", "Budgeting", "Vendor Management", "Incident Management",
        "System Design", "Mentoring", "Java", "Spring Boot", "MySQL", "Apache Kafka", "Java EE",
        "Oracle Database", "WebLogic", "JUnit", "Selenium", "Apache Ant", "Maven", "Python", "Redis", "AWS",
        "Kubernetes", "Jira", "Confluence", "Grafana",
    ],
    "experience": [
        {"title": "Engineering Manager", "company": "Swiggy", "start": "2020-07", "end": "present"},
        {"title": "Engineering Lead", "company": "Flipkart", "start": "2016-04", "end": "2020-06"},
        {"title": "Senior Software Engineer", "company": "Infosys", "start": "2012-08", "end": "2016-03"},
    ],
    "education": [
        {"degree": "B.E. Computer Science and Engineering", "institution": "R.V. College of Engineering",
         "year": 2012},
        {"degree": "Executive Programme in General Management", "institution": "IIM Bangalore", "year": 2019},
    ],
    "total_years": 14.33,  # Aug 2012 .. Nov 2026: 172 months
    "primary_field": "management",
    "extraction_method": "text",
    "field": "engineering manager",
    "format": "docx",
}  # fmt: skip


# --- 7. security engineer, one-column PDF ------------------------------------------------------------------

SECURITY = [
    _b("name", "Niamh O'Connor"),
    _b("subtitle", "Security Engineer — Cloud & Application Security"),
    _b("contact", "niamh.oconnor@example.ie | +353 87 123 4567 | Dublin, Ireland | github.com/niamhoc"),
    _b("heading", "SUMMARY"),
    _b("text", "Security engineer with nine years across security operations (SOC), penetration testing and "
               "cloud security. I prefer guardrails to gates: secure defaults in the build pipeline, not a "
               "40-page policy nobody reads."),
    _b("heading", "EXPERIENCE"),
    _b("job", "Senior Security Engineer — Intercom, Dublin", "Feb 2022 – Present"),
    _b("bullet", "Built the cloud security posture programme for 60 AWS accounts: AWS Security Hub, GuardDuty "
                 "and custom AWS Config rules written in Python."),
    _b("bullet", "Added SAST and dependency scanning to every repository (Semgrep, Snyk, and Trivy for "
                 "container images); developers fix 85% of findings without a ticket."),
    _b("bullet", "Run threat modelling (STRIDE) for new services and the bug bounty programme on HackerOne."),
    _b("bullet", "Wrote Splunk searches and alerts for suspicious IAM activity."),
    _b("bullet", "Led SOC 2 Type II and ISO 27001 evidence collection with the compliance team."),
    _b("job", "Penetration Tester — Ward Solutions, Dublin", "Jun 2019 – Jan 2022"),
    _b("bullet", "Web and API penetration tests for banks and insurers with Burp Suite Pro, OWASP ZAP and "
                 "sqlmap; findings mapped to the OWASP Top 10."),
    _b("bullet", "Internal infrastructure tests with Nmap, Nessus, Metasploit and BloodHound against "
                 "Active Directory."),
    _b("job", "SOC Analyst — Bank of Ireland, Dublin", "Sep 2017 – May 2019"),
    _b("bullet", "Tier 1–2 monitoring on QRadar and CrowdStrike Falcon; packet analysis in Wireshark."),
    _b("bullet", "Wrote incident response playbooks for phishing and ransomware."),
    _b("bullet", "The bank's core systems ran on IBM z/OS mainframes, which were outside our team's scope."),
    _b("heading", "EDUCATION"),
    _b("job", "BSc (Hons) Computer Science"),
    _b("text", "Trinity College Dublin, 2013 – 2017"),
    _b("heading", "CERTIFICATIONS"),
    _b("text", "OSCP (2020) · CISSP (2023) · AWS Certified Security – Specialty (2022)"),
    _b("heading", "SKILLS"),
    _b("text", "Offensive: Burp Suite, Metasploit, Nmap, BloodHound, Kali Linux"),
    _b("text", "Defensive: SIEM (Splunk, QRadar), EDR (CrowdStrike), Sigma rules, YARA"),
    _b("text", "Cloud & AppSec: AWS IAM, GuardDuty, Terraform, OPA/Rego, Semgrep, Snyk, Trivy, Vault"),
    _b("text", "Code: Python, Go, Bash"),
]  # fmt: skip
SECURITY_TRUTH = {
    "name": "Niamh O'Connor",
    "email": "niamh.oconnor@example.ie",
    "phone": "+353871234567",
    "links": ["https://github.com/niamhoc"],
    "skills": [
        "Cloud Security", "Application Security", "Security Operations", "Penetration Testing", "AWS",
        "AWS Security Hub", "Amazon GuardDuty", "AWS Config", "Python", "SAST", "Dependency Scanning", "Semgrep",
        "Snyk", "Trivy", "Threat Modeling", "STRIDE", "Bug Bounty", "HackerOne", "Splunk", "SOC 2", "ISO 27001",
        "Burp Suite", "OWASP ZAP", "sqlmap", "OWASP Top 10", "Nmap", "Nessus", "Metasploit", "BloodHound",
        "Active Directory", "IBM QRadar", "CrowdStrike Falcon", "Wireshark", "Incident Response", "Kali Linux",
        "SIEM", "EDR", "Sigma", "YARA", "AWS IAM", "Terraform", "Open Policy Agent", "HashiCorp Vault", "Go",
        "Bash",
    ],
    "experience": [
        {"title": "Senior Security Engineer", "company": "Intercom", "start": "2022-02", "end": "present"},
        {"title": "Penetration Tester", "company": "Ward Solutions", "start": "2019-06", "end": "2022-01"},
        {"title": "SOC Analyst", "company": "Bank of Ireland", "start": "2017-09", "end": "2019-05"},
    ],
    "education": [
        {"degree": "BSc (Hons) Computer Science", "institution": "Trinity College Dublin", "year": 2017},
    ],
    "total_years": 9.25,  # Sep 2017 .. Nov 2026: 111 months
    # No security category: cloud/infrastructure security is closest to devops or cloud architecture.
    "primary_field": ["devops", "cloud_architecture"],
    "extraction_method": "text",
    "field": "security engineer (cloud and application security, pentesting)",
    "format": "pdf one-column",
}  # fmt: skip


# --- 8. frontend engineer, two-column PDF ------------------------------------------------------------------

FRONTEND_SIDEBAR = [
    _b("heading", "CONTACT"),
    _b("text", "camille.dubois@example.fr"),
    _b("text", "+33 6 12 34 56 78"),
    _b("text", "Lyon, France"),
    _b("text", "camilledubois.dev"),
    _b("text", "github.com/cdubois"),
    _b("heading", "SKILLS"),
    *[_b("text", item) for item in (
        "TypeScript / JavaScript (ES2022)", "Angular 15+ & RxJS", "React 18, Next.js", "NgRx, Redux Toolkit",
        "HTML5, SCSS, Tailwind", "Storybook", "Jest, Cypress, Playwright", "Vite, Nx monorepos", "Figma",
        "a11y (WCAG 2.2)", "Web performance", "i18n",
    )],
    _b("heading", "LANGUAGES"),
    _b("text", "French (native)"),
    _b("text", "English (C1)"),
    _b("text", "Spanish (B1)"),
]  # fmt: skip
FRONTEND_MAIN = [
    _b("name", "Camille Dubois"),
    _b("subtitle", "Senior Frontend Engineer"),
    _b("heading", "PROFILE"),
    _b("text", "Frontend engineer with ten years on large Angular and React applications. I sit between design "
               "and engineering: design systems, accessibility and the unglamorous work of making pages fast."),
    _b("heading", "EXPERIENCE"),
    _b("job", "Doctolib"),
    _b("text", "Senior Frontend Engineer"),
    _b("text", "09/2021 – present"),
    _b("bullet", "Lead developer on the patient booking funnel (React, TypeScript, React Query); "
                 "conversion +3.2%."),
    _b("bullet", "Co-created the design system: 80 components in Storybook with visual regression tests "
                 "in Chromatic."),
    _b("bullet", "Raised Lighthouse accessibility scores from 71 to 98; audits with axe-core and screen "
                 "readers."),
    _b("job", "Cdiscount"),
    _b("text", "Frontend Developer"),
    _b("text", "03/2018 – 08/2021"),
    _b("bullet", "Migrated the seller back office from AngularJS to Angular (v8, then v15) with NgRx and RxJS."),
    _b("bullet", "Built the checkout page for the new express delivery option in two sprints."),
    _b("bullet", "Set up Nx, Jest unit tests and Cypress end-to-end tests, run in GitLab CI."),
    _b("bullet", "Server-side rendering with Angular Universal to improve SEO on product pages."),
    _b("job", "Sopra Steria"),
    _b("text", "Web Developer (apprenticeship)"),
    _b("text", "09/2016 – 02/2018"),
    _b("bullet", "jQuery and Bootstrap pages for a public-sector portal; the Java EE back end was maintained "
                 "by another team."),
    _b("heading", "EDUCATION"),
    _b("job", "Master's in Computer Science"),
    _b("text", "Université Claude Bernard Lyon 1"),
    _b("text", "2016 – 2018"),
]  # fmt: skip
FRONTEND_TRUTH = {
    "name": "Camille Dubois",
    "email": "camille.dubois@example.fr",
    "phone": "+33612345678",
    "links": ["https://camilledubois.dev", "https://github.com/cdubois"],
    "skills": [
        "TypeScript", "JavaScript", "Angular", "RxJS", "React", "Next.js", "NgRx", "Redux", "HTML", "Sass",
        "Tailwind CSS", "Storybook", "Jest", "Cypress", "Playwright", "Vite", "Nx", "Figma",
        "Web Accessibility", "Web Performance", "Internationalization", "React Query", "Design Systems",
        "Chromatic", "Visual Regression Testing", "Lighthouse", "axe-core", "AngularJS", "Unit Testing",
        "End-to-End Testing", "GitLab CI", "Server-Side Rendering", "Angular Universal", "SEO", "jQuery",
        "Bootstrap",
    ],
    "experience": [
        {"title": "Senior Frontend Engineer", "company": "Doctolib", "start": "2021-09", "end": "present"},
        {"title": "Frontend Developer", "company": "Cdiscount", "start": "2018-03", "end": "2021-08"},
        {"title": "Web Developer (apprenticeship)", "company": "Sopra Steria", "start": "2016-09",
         "end": "2018-02"},
    ],
    "education": [
        {"degree": "Master's in Computer Science", "institution": "Université Claude Bernard Lyon 1",
         "year": 2018},
    ],
    "total_years": 10.25,  # Sep 2016 .. Nov 2026: 123 months
    "primary_field": "frontend",
    "extraction_method": "text",
    "field": "frontend engineer (Angular, React)",
    "format": "pdf two-column",
}  # fmt: skip


# --- 9. data engineer, DOCX with a bordered skills table ---------------------------------------------------

DATA_ENGINEER = [
    _b("name", "Pavel Novák"),
    _b("contact", "Senior Data Engineer · Prague, Czech Republic"),
    _b("contact", "pavel.novak@example.cz · +420 603 123 456 · github.com/pnovak-data · "
                  "linkedin.com/in/pavelnovak"),
    _b("heading", "Profile"),
    _b("text", "Data engineer building batch and streaming pipelines for e-commerce and travel. Strong in SQL "
               "and Python, allergic to untested pipelines."),
    _b("heading", "Experience"),
    _b("job", "Senior Data Engineer | Rohlik Group | 03.2021 – present"),
    _b("bullet", "Built the lakehouse on Databricks and Delta Lake: 400 dbt models with data quality checks in "
                 "Great Expectations."),
    _b("bullet", "Ingestion with Airbyte and Fivetran from 30 sources, including the marketing team's "
                 "Salesforce and Google Ads accounts."),
    _b("bullet", "Streaming order events from Kafka with Spark Structured Streaming; orchestration moved from "
                 "Airflow to Dagster."),
    _b("bullet", "Cut Databricks spend by 38% by right-sizing clusters and killing idle jobs."),
    _b("job", "Data Engineer | Kiwi.com | 06.2018 – 02.2021"),
    _b("bullet", "Ran the BigQuery data warehouse (120 TB) and wrote ELT in SQL and Python; Looker for "
                 "self-service analytics."),
    _b("bullet", "Built Pub/Sub and Dataflow (Apache Beam) pipelines for flight price events."),
    _b("bullet", "Dimensional modelling (Kimball); owned the customer and booking dimensions."),
    _b("job", "BI Developer | Škoda Auto | 09.2015 – 05.2018"),
    _b("bullet", "SSIS packages and T-SQL stored procedures on SQL Server; reports in Power BI."),
    _b("bullet", "The plant's MES was SAP ME, run by a separate team; we only received nightly extracts."),
]  # fmt: skip
DATA_ENGINEER_SKILLS = [
    ("Languages", "SQL (expert), Python 3.11, Scala (basic), Bash"),
    ("Processing", "Spark / PySpark, Kafka, Beam, Flink (POC only)"),
    ("Warehouse & lake", "Databricks, Delta Lake, BigQuery, Snowflake, PG, Redshift"),
    ("Orchestration & quality", "Dagster, Airflow, dbt, Great Expectations, Monte Carlo"),
    ("Cloud & ops", "GCP, AWS (S3, Glue), Terraform, Docker, GitHub Actions"),
]
DATA_ENGINEER_AFTER = [
    _b("heading", "Education"),
    _b("text", "Ing. (MSc) Informatics — Czech Technical University in Prague — 2015"),
    _b("heading", "Languages (spoken)"),
    _b("text", "Czech (native), English (C1), German (B1)"),
]
DATA_ENGINEER_TRUTH = {
    "name": "Pavel Novák",
    "email": "pavel.novak@example.cz",
    "phone": "+420603123456",
    "links": ["https://github.com/pnovak-data", "https://linkedin.com/in/pavelnovak"],
    "skills": [
        "Databricks", "Delta Lake", "Data Lakehouse", "dbt", "Data Quality", "Great Expectations", "Airbyte",
        "Fivetran", "Apache Kafka", "Apache Spark", "Stream Processing", "Apache Airflow", "Dagster", "BigQuery",
        "Data Warehousing", "ELT", "SQL", "Python", "Looker", "Google Cloud Pub/Sub", "Google Cloud Dataflow",
        "Apache Beam", "Dimensional Modeling", "SSIS", "T-SQL", "Microsoft SQL Server", "Power BI", "Scala",
        "Bash", "PySpark", "Apache Flink", "Snowflake", "PostgreSQL", "Amazon Redshift", "Monte Carlo", "GCP",
        "AWS", "Amazon S3", "AWS Glue", "Terraform", "Docker", "GitHub Actions", "Cloud Cost Optimization",
    ],
    "experience": [
        {"title": "Senior Data Engineer", "company": "Rohlik Group", "start": "2021-03", "end": "present"},
        {"title": "Data Engineer", "company": "Kiwi.com", "start": "2018-06", "end": "2021-02"},
        {"title": "BI Developer", "company": "Škoda Auto", "start": "2015-09", "end": "2018-05"},
    ],
    "education": [
        {"degree": "Ing. (MSc) Informatics", "institution": "Czech Technical University in Prague",
         "year": 2015},
    ],
    "total_years": 11.25,  # Sep 2015 .. Nov 2026: 135 months
    "primary_field": "data",
    "extraction_method": "text",
    "field": "data engineer",
    "format": "docx table",
}  # fmt: skip


# --- 10. QA / test automation engineer, DOCX with a header table and a skills grid -------------------------

QA_HEADER_LEFT = ["Ana-Maria Popescu", "QA Automation Engineer (SDET)"]
QA_HEADER_RIGHT = [
    "ana.popescu@example.ro",
    "+40 722 123 456",
    "Cluj-Napoca, Romania",
    "linkedin.com/in/anamariapopescu",
]
QA_BODY = [
    _b("heading", "Summary"),
    _b("text", "SDET with 11 years in QA, eight of them in test automation for web, mobile and APIs. I build "
               "test frameworks developers actually run, and I treat flaky tests as bugs."),
    _b("heading", "Experience"),
    _b("job", "Senior SDET — UiPath, Bucharest"),
    _b("text", "Oct 2019 - Present"),
    _b("bullet", "Designed the Playwright (TypeScript) end-to-end framework for the Orchestrator web app: "
                 "1,900 tests in 14 minutes, sharded on GitHub Actions."),
    _b("bullet", "Contract testing with Pact between 12 services; API tests in REST Assured (Java 17) and "
                 "Postman/Newman."),
    _b("bullet", "Load tests in k6 and Gatling before every major release; found a connection-pool leak that "
                 "would have sunk the go live of Orchestrator 2023."),
    _b("bullet", "Introduced a flaky-test quarantine and Allure reports; release pass rate from 72% to 97%."),
    _b("job", "QA Automation Engineer — Endava, Cluj-Napoca"),
    _b("text", "Mar 2017 - Sep 2019"),
    _b("bullet", "Selenium WebDriver + TestNG framework in Java for a UK insurer's portal, using the page "
                 "object model; nightly runs in Jenkins."),
    _b("bullet", "Mobile testing with Appium; paired with the Android developers on Espresso tests."),
    _b("bullet", "BDD with Cucumber and Gherkin; wrote acceptance criteria with the business analysts."),
    _b("bullet", "The insurer's back end was a COBOL system that we only ever tested through the portal."),
    _b("job", "Manual QA Tester — Fortech, Cluj-Napoca"),
    _b("text", "Jul 2015 - Feb 2017"),
    _b("bullet", "Exploratory and regression testing; bugs tracked in Jira, test cases in TestRail."),
    _b("bullet", "Learned SQL to check the data behind the UI (MySQL)."),
]  # fmt: skip
QA_GRID = [
    "Playwright", "Cypress", "Selenium WebDriver",
    "Appium", "Espresso", "XCUITest",
    "REST Assured", "Pact", "Postman",
    "k6", "Gatling", "JMeter",
    "pytest", "Robot Framework", "JUnit 5",
    "Java", "TypeScript", "Python",
    "Docker", "GitHub Actions", "Jenkins",
    "SQL", "Jira / Xray", "Allure",
]  # fmt: skip
QA_AFTER = [
    _b("heading", "Certifications"),
    _b("text", "ISTQB Certified Tester – Advanced Level Test Analyst (2018)"),
    _b("heading", "Education"),
    _b("text", "BSc Computer Science — Babeș-Bolyai University, Cluj-Napoca — 2015"),
    _b("heading", "Languages (spoken)"),
    _b("text", "Romanian (native), English (C1), Hungarian (B2)"),
]
QA_TRUTH = {
    "name": "Ana-Maria Popescu",
    "email": "ana.popescu@example.ro",
    "phone": "+40722123456",
    "links": ["https://linkedin.com/in/anamariapopescu"],
    "skills": [
        "Quality Assurance", "Test Automation", "Playwright", "TypeScript", "End-to-End Testing",
        "GitHub Actions", "Contract Testing", "Pact", "API Testing", "REST Assured", "Java", "Postman",
        "Newman", "Load Testing", "k6", "Gatling", "Allure", "Selenium", "TestNG", "Page Object Model",
        "Jenkins", "Mobile Testing", "Appium", "Espresso", "BDD", "Cucumber", "Gherkin", "Exploratory Testing",
        "Regression Testing", "Jira", "TestRail", "SQL", "MySQL", "Cypress", "XCUITest", "JMeter", "pytest",
        "Robot Framework", "JUnit", "Python", "Docker", "Xray",
    ],
    "experience": [
        {"title": "Senior SDET", "company": "UiPath", "start": "2019-10", "end": "present"},
        {"title": "QA Automation Engineer", "company": "Endava", "start": "2017-03", "end": "2019-09"},
        {"title": "Manual QA Tester", "company": "Fortech", "start": "2015-07", "end": "2017-02"},
    ],
    "education": [
        {"degree": "BSc Computer Science", "institution": "Babeș-Bolyai University", "year": 2015},
    ],
    "total_years": 11.42,  # Jul 2015 .. Nov 2026: 137 months
    # No QA category: web UI and API test automation, so frontend or backend.
    "primary_field": ["frontend", "backend"],
    "extraction_method": "text",
    "field": "QA / test automation engineer (SDET)",
    "format": "docx table",
}  # fmt: skip


# --- 11. embedded firmware engineer, scanned PDF -----------------------------------------------------------

EMBEDDED_LINES = [
    ("name", "Yuki Tanaka"),
    ("subtitle", "Embedded Firmware Engineer"),
    ("text", "yuki.tanaka@example.jp | +81 90 1234 5678 | Osaka, Japan"),
    ("gap", ""),
    ("heading", "SUMMARY"),
    ("text", "Firmware engineer with ten years in motor control and battery systems."),
    ("gap", ""),
    ("heading", "EXPERIENCE"),
    ("job", "Senior Firmware Engineer, Panasonic|Apr 2019 - Present"),
    ("text", "- Firmware in C for STM32 battery controllers running FreeRTOS."),
    ("text", "- CAN bus and UART drivers; debugging over JTAG."),
    ("text", "- Unit tests with Ceedling and GoogleTest; builds with CMake and Jenkins."),
    ("job", "Firmware Engineer, Omron|Apr 2016 - Mar 2019"),
    ("text", "- Motor control firmware for ARM Cortex-M4 in C and C++."),
    ("text", "- Ported the sensor drivers to the Zephyr RTOS."),
    ("text", "- Python scripts for the test rigs."),
    ("gap", ""),
    ("heading", "EDUCATION"),
    ("text", "M.Eng. Electrical Engineering, Osaka University, 2016"),
    ("gap", ""),
    ("heading", "SKILLS"),
    ("text", "C, C++, Python, FreeRTOS, Zephyr, STM32, ARM Cortex-M"),
    ("text", "CAN, SPI, I2C, UART, JTAG, CMake, Jenkins"),
    ("gap", ""),
    ("heading", "LANGUAGES"),
    ("text", "Japanese (native), English (business)"),
]
EMBEDDED_TRUTH = {
    "name": "Yuki Tanaka",
    "email": "yuki.tanaka@example.jp",
    "phone": "+819012345678",
    "links": [],
    "skills": [
        "Firmware Development", "Motor Control", "C", "STM32", "FreeRTOS", "CAN Bus", "UART", "Device Drivers",
        "JTAG", "Unit Testing", "Ceedling", "GoogleTest", "CMake", "Jenkins", "ARM Cortex-M", "C++", "Zephyr",
        "Python", "SPI", "I2C",
    ],
    "experience": [
        {"title": "Senior Firmware Engineer", "company": "Panasonic", "start": "2019-04", "end": "present"},
        {"title": "Firmware Engineer", "company": "Omron", "start": "2016-04", "end": "2019-03"},
    ],
    "education": [
        {"degree": "M.Eng. Electrical Engineering", "institution": "Osaka University", "year": 2016},
    ],
    "total_years": 10.67,  # Apr 2016 .. Nov 2026: 128 months
    # No embedded category: backend is the nearest general software bucket.
    "primary_field": "backend",
    "extraction_method": "ocr",
    "field": "embedded / firmware engineer",
    "format": "scanned pdf",
}  # fmt: skip


# --- 12. fintech backend engineer (payments), one-column PDF -----------------------------------------------

FINTECH = [
    _b("name", "Adaeze Okonkwo"),
    _b("subtitle", "Backend Engineer — Payments"),
    _b("contact", "adaeze.okonkwo@example.com · +44 7700 900456 · London, UK"),
    _b("contact", "linkedin.com/in/adaezeokonkwo · github.com/adaeze-o"),
    _b("heading", "Summary"),
    _b("text", "Backend engineer with ten years in payments processing: card acquiring, bank transfers and the "
               "ledgers behind them. I write Kotlin and Go, think in double-entry bookkeeping, and have a swift "
               "turnaround on incident fixes without cutting corners on PCI DSS."),
    _b("heading", "Experience"),
    _b("job", "Senior Software Engineer — Stripe, London", "January 2022 – present"),
    _b("bullet", "Work on the payouts ledger: Go services on PostgreSQL with strict double-entry invariants, "
                 "40M ledger entries a day."),
    _b("bullet", "Built the daily ledger reconciliation against bank statements (camt.053, ISO 20022)."),
    _b("bullet", "Event-driven architecture on Kafka; schemas in Protobuf, internal APIs in gRPC."),
    _b("bullet", "On-call for payouts; wrote the runbooks used by the EMEA rotation."),
    _b("job", "Backend Engineer — Paystack, Lagos", "March 2018 – December 2021"),
    _b("bullet", "Built card acquiring and bank transfer REST APIs in Kotlin (Spring Boot) and Node.js, used "
                 "by 60,000 merchants."),
    _b("bullet", "Integrated the NIBSS, Visa and Mastercard networks: ISO 8583 message parsing and 3-D Secure "
                 "flows."),
    _b("bullet", "Built KYC/AML checks (BVN verification, sanctions screening) with the compliance team."),
    _b("bullet", "Reached PCI DSS Level 1 by tokenising card data in HashiCorp Vault."),
    _b("bullet", "Fraud rules engine on Redis; chargebacks down 35%."),
    _b("job", "Software Developer — Interswitch, Lagos", "June 2016 – February 2018"),
    _b("bullet", "Java 8 services for the Quickteller bill-payments platform on Oracle and WebLogic."),
    _b("bullet", "Wrote JUnit and Mockito tests; moved the builds to Maven and GitLab CI."),
    _b("bullet", "Worked beside the team that maintained the Delphi-based POS terminal software; I built the "
                 "Java side of the integration."),
    _b("heading", "Education"),
    _b("job", "BSc Computer Science"),
    _b("text", "University of Lagos — 2015"),
    _b("heading", "Skills"),
    _b("text", "Languages: Kotlin, Go, Java, TypeScript (Node.js), SQL"),
    _b("text", "Payments: card acquiring, ISO 8583, ISO 20022, 3DS2, PCI DSS, KYC/AML, reconciliation, "
               "double-entry ledgers"),
    _b("text", "Data & infra: PostgreSQL, Kafka, Redis, gRPC, Docker, Kubernetes, Terraform, AWS"),
    _b("text", "Practices: event sourcing, DDD, TDD"),
    _b("heading", "Languages"),
    _b("text", "English (native), Igbo (native), French (intermediate)"),
]  # fmt: skip
FINTECH_TRUTH = {
    "name": "Adaeze Okonkwo",
    "email": "adaeze.okonkwo@example.com",
    "phone": "+447700900456",
    "links": ["https://linkedin.com/in/adaezeokonkwo", "https://github.com/adaeze-o"],
    "skills": [
        "Payments Processing", "Card Acquiring", "Double-Entry Bookkeeping", "PCI DSS", "Kotlin", "Go",
        "PostgreSQL", "Ledger Reconciliation", "ISO 20022", "Event-Driven Architecture", "Apache Kafka",
        "Protocol Buffers", "gRPC", "Incident Management", "REST APIs", "Spring Boot", "Node.js", "ISO 8583",
        "3-D Secure", "KYC", "AML", "Tokenization", "HashiCorp Vault", "Fraud Detection", "Redis", "Java",
        "Oracle Database", "WebLogic", "JUnit", "Mockito", "Maven", "GitLab CI", "TypeScript", "SQL", "Docker",
        "Kubernetes", "Terraform", "AWS", "Event Sourcing", "Domain-Driven Design", "Test-Driven Development",
    ],
    "experience": [
        {"title": "Senior Software Engineer", "company": "Stripe", "start": "2022-01", "end": "present"},
        {"title": "Backend Engineer", "company": "Paystack", "start": "2018-03", "end": "2021-12"},
        {"title": "Software Developer", "company": "Interswitch", "start": "2016-06", "end": "2018-02"},
    ],
    "education": [{"degree": "BSc Computer Science", "institution": "University of Lagos", "year": 2015}],
    "total_years": 10.5,  # Jun 2016 .. Nov 2026: 126 months
    "primary_field": "backend",
    "extraction_method": "text",
    "field": "fintech backend engineer (payments)",
    "format": "pdf one-column",
}  # fmt: skip


# --- 13. technical product manager, DOCX with paragraphs ---------------------------------------------------

PRODUCT_MANAGER = [
    _b("name", "Leila Haddad"),
    _b("contact", "Senior Technical Product Manager · Montréal, QC, Canada"),
    _b("contact", "leila.haddad@example.ca · +1 514 555 0182 · https://leilahaddad.ca"),
    _b("heading", "Summary"),
    _b("text", "Eight years of product management, preceded by four as a developer. I own platform products "
               "whose users are other developers: APIs, SDKs and internal tools."),
    _b("heading", "Experience"),
    _b("job", "Senior Technical Product Manager — Shopify"),
    _b("text", "2021-06 – present · Remote (Canada)"),
    _b("bullet", "Product owner for the Checkout Extensions APIs and SDK used by 9,000 app developers."),
    _b("bullet", "Ran user research (30+ developer interviews a quarter) and turned it into a roadmap with "
                 "OKRs."),
    _b("bullet", "Wrote PRDs and API specs in OpenAPI; reviewed GraphQL schema changes with engineering."),
    _b("bullet", "Analysed adoption in Mode with SQL and ran A/B tests with the data team."),
    _b("bullet", "Managed the backlog in Jira and decision records in Confluence."),
    _b("job", "Product Manager — Lightspeed Commerce"),
    _b("text", "2018-03 – 2021-05 · Montréal"),
    _b("bullet", "Launched the payments add-on for 15,000 retailers; owned pricing and the go-to-market plan "
                 "with marketing."),
    _b("bullet", "Ran discovery with Figma prototypes and usability tests; funnel analysis in Amplitude."),
    _b("bullet", "Worked in two-week Scrum sprints as the product owner."),
    _b("bullet", "The point-of-sale client was written in Objective-C; I never coded on it, but learned "
                 "enough to read crash logs."),
    _b("job", "Software Developer — CGI"),
    _b("text", "2014 – 2018 · Québec City"),
    _b("bullet", "Built public-sector web apps in C# / ASP.NET MVC on SQL Server."),
    _b("bullet", "Wrote Selenium tests and set up TeamCity builds."),
    _b("heading", "Education"),
    _b("text", "B.Ing. Software Engineering, Université Laval, 2013"),
    _b("heading", "Skills"),
    _b("text", "Product: discovery, user research, roadmapping, OKRs, PRDs, pricing, go-to-market, "
               "stakeholder management"),
    _b("text", "Data: SQL, Mode, Amplitude, Looker, A/B testing"),
    _b("text", "Tech: REST & GraphQL APIs, OpenAPI, webhooks, Postman, Git, basic Python"),
    _b("text", "Tools: Jira, Confluence, Figma, Miro, Productboard"),
    _b("heading", "Languages"),
    _b("text", "French (native), English (fluent), Arabic (conversational)"),
]  # fmt: skip
PRODUCT_MANAGER_TRUTH = {
    "name": "Leila Haddad",
    "email": "leila.haddad@example.ca",
    "phone": "+15145550182",
    "links": ["https://leilahaddad.ca"],
    "skills": [
        "Product Management", "User Research", "Roadmapping", "OKRs", "Product Requirements", "OpenAPI",
        "GraphQL", "SQL", "Mode", "A/B Testing", "Backlog Management", "Jira", "Confluence", "Pricing Strategy",
        "Go-to-Market Strategy", "Product Discovery", "Figma", "Prototyping", "Usability Testing", "Amplitude",
        "Funnel Analysis", "Scrum", "C#", "ASP.NET MVC", "Microsoft SQL Server", "Selenium", "TeamCity",
        "Stakeholder Management", "Looker", "REST APIs", "Webhooks", "Postman", "Git", "Python", "Miro",
        "Productboard",
    ],
    "experience": [
        {"title": "Senior Technical Product Manager", "company": "Shopify", "start": "2021-06", "end": "present"},
        {"title": "Product Manager", "company": "Lightspeed Commerce", "start": "2018-03", "end": "2021-05"},
        # year-only range: read as January to January, the convention of the existing fixtures
        {"title": "Software Developer", "company": "CGI", "start": "2014-01", "end": "2018-01"},
    ],
    "education": [
        {"degree": "B.Ing. Software Engineering", "institution": "Université Laval", "year": 2013},
    ],
    "total_years": 12.83,  # Jan 2014 .. Jan 2018 (49 months) + Mar 2018 .. Nov 2026 (105 months)
    # No product category: "management" is the nearest.
    "primary_field": "management",
    "extraction_method": "text",
    "field": "technical product manager",
    "format": "docx",
}  # fmt: skip


# --- 14. game / graphics programmer, one-column PDF --------------------------------------------------------

GAME = [
    _b("name", "Mikko Virtanen"),
    _b("subtitle", "Graphics & Gameplay Programmer"),
    _b("contact", "mikko.virtanen@example.fi | +358 40 123 4567 | Helsinki, Finland | mikkovirtanen.dev"),
    _b("heading", "Profile"),
    _b("text", "Graphics programmer with nearly ten years in game development, from free-to-play mobile titles "
               "in Unity to a ray-traced console renderer. I like frame captures, shader maths and shipping "
               "on time."),
    _b("heading", "Work experience"),
    _b("job", "Senior Graphics Programmer — Remedy Entertainment, Espoo", "12/2022 – present"),
    _b("bullet", "Renderer work in C++17 on the in-house Northlight engine: ray-traced reflections on DirectX 12 "
                 "and Vulkan."),
    _b("bullet", "Wrote HLSL compute shaders for GPU-driven culling; integrated DLSS and FSR upscalers."),
    _b("bullet", "Profiled frames with PIX, RenderDoc and Nsight to hold 60 fps on current-gen consoles."),
    _b("job", "Gameplay Programmer — Small Giant Games, Helsinki", "5/2018 – 11/2022"),
    _b("bullet", "Gameplay systems and seasonal events for a free-to-play puzzle RPG in Unity (C#)."),
    _b("bullet", "Cut draw calls by 45% after moving to the Universal Render Pipeline; custom shaders in "
                 "ShaderLab and HLSL."),
    _b("bullet", "Built the asset bundle pipeline and automated device builds with Jenkins."),
    _b("bullet", "Analytics events in Firebase and GameAnalytics for A/B tested economy changes."),
    _b("job", "Junior Programmer — Rovio Entertainment, Espoo", "2/2017 – 4/2018"),
    _b("bullet", "Ported level tools from Lua scripts to C# and fixed physics bugs in Box2D-based levels."),
    _b("bullet", "Office game jams in Unreal Engine with Blueprints."),
    _b("heading", "Education"),
    _b("job", "M.Sc. (Tech.) Computer Science"),
    _b("text", "Aalto University, 2012 – 2017"),
    _b("heading", "Skills"),
    _b("text", "Languages: C++ (17/20), C#, HLSL, GLSL, Python, Lua"),
    _b("text", "Graphics: Vulkan, DirectX 12, OpenGL, ray tracing, PBR, compute shaders"),
    _b("text", "Engines & tools: Unity, Unreal Engine 5, Perforce, RenderDoc, PIX, Nsight, Houdini (basic)"),
    _b("heading", "Outside work"),
    _b("text", "Amateur theatre (I played Vladimir in Waiting for Godot), bouldering, sauna."),
]  # fmt: skip
GAME_TRUTH = {
    "name": "Mikko Virtanen",
    "email": "mikko.virtanen@example.fi",
    "phone": "+358401234567",
    "links": ["https://mikkovirtanen.dev"],
    "skills": [
        "Graphics Programming", "Game Development", "Unity", "Ray Tracing", "Shader Programming", "C++",
        "DirectX 12", "Vulkan", "HLSL", "Compute Shaders", "DLSS", "FSR", "PIX", "RenderDoc", "NVIDIA Nsight",
        "C#", "Universal Render Pipeline", "ShaderLab", "Jenkins", "Firebase", "GameAnalytics", "A/B Testing",
        "Lua", "Box2D", "Unreal Engine", "Blueprints", "GLSL", "Python", "OpenGL", "Physically Based Rendering",
        "Perforce", "Houdini", "Console Development",
    ],
    "experience": [
        {"title": "Senior Graphics Programmer", "company": "Remedy Entertainment", "start": "2022-12",
         "end": "present"},
        {"title": "Gameplay Programmer", "company": "Small Giant Games", "start": "2018-05", "end": "2022-11"},
        {"title": "Junior Programmer", "company": "Rovio Entertainment", "start": "2017-02", "end": "2018-04"},
    ],
    "education": [
        {"degree": "M.Sc. (Tech.) Computer Science", "institution": "Aalto University", "year": 2017},
    ],
    "total_years": 9.83,  # Feb 2017 .. Nov 2026: 118 months
    # No games category: client-side rendering and mobile games, so frontend or mobile.
    "primary_field": ["frontend", "mobile"],
    "extraction_method": "text",
    "field": "game / graphics programmer",
    "format": "pdf one-column",
}  # fmt: skip


# --- 15. business analyst (ERP / CRM), scanned PDF ---------------------------------------------------------

ANALYST_LINES = [
    ("name", "María González"),
    ("subtitle", "Senior Business Analyst"),
    ("text", "maria.gonzalez@example.mx | +52 55 1234 5678 | Mexico City"),
    ("gap", ""),
    ("heading", "PROFILE"),
    ("text", "Business analyst bridging finance teams and IT on ERP and CRM projects."),
    ("gap", ""),
    ("heading", "EXPERIENCE"),
    ("job", "Senior Business Analyst, Grupo Bimbo|Jan 2020 - Present"),
    ("text", "- Led requirements for the SAP S/4HANA finance rollout in 12 countries."),
    ("text", "- Wrote user stories in Jira and process maps in BPMN with Visio."),
    ("text", "- Built Power BI dashboards on SQL Server for the CFO office."),
    ("job", "Business Analyst, Accenture|Jul 2016 - Dec 2019"),
    ("text", "- Salesforce Sales Cloud projects for banks: requirements, UAT, training."),
    ("text", "- Gap analysis and data migration checks in Excel and SQL."),
    ("gap", ""),
    ("heading", "EDUCATION"),
    ("text", "B.Sc. Industrial Engineering, UNAM, 2016"),
    ("gap", ""),
    ("heading", "SKILLS"),
    ("text", "Business analysis, requirements gathering, user stories,"),
    ("text", "process mapping, UAT, SAP S/4HANA, Salesforce, Jira,"),
    ("text", "Confluence, Power BI, SQL, Excel"),
    ("gap", ""),
    ("heading", "LANGUAGES"),
    ("text", "Spanish (native), English (advanced)"),
]
ANALYST_TRUTH = {
    "name": "María González",
    "email": "maria.gonzalez@example.mx",
    "phone": "+525512345678",
    "links": [],
    "skills": [
        "Business Analysis", "ERP", "CRM", "Requirements Gathering", "SAP S/4HANA", "User Stories", "Jira",
        "BPMN", "Microsoft Visio", "Power BI", "Microsoft SQL Server", "Salesforce", "User Acceptance Testing",
        "Gap Analysis", "Data Migration", "Microsoft Excel", "SQL", "Process Mapping", "Confluence",
    ],
    "experience": [
        {"title": "Senior Business Analyst", "company": "Grupo Bimbo", "start": "2020-01", "end": "present"},
        {"title": "Business Analyst", "company": "Accenture", "start": "2016-07", "end": "2019-12"},
    ],
    "education": [{"degree": "B.Sc. Industrial Engineering", "institution": "UNAM", "year": 2016}],
    "total_years": 10.42,  # Jul 2016 .. Nov 2026: 125 months
    # No business-analysis category: SQL / Power BI reporting (data) or product-side management.
    "primary_field": ["data", "management"],
    "extraction_method": "ocr",
    "field": "business analyst (ERP / CRM)",
    "format": "scanned pdf",
}  # fmt: skip


# --- DOCX renderers with tables ---------------------------------------------------------------------------


def render_docx_skill_table(
    before: list[Block], rows: list[tuple[str, str]], after: list[Block], *, header: tuple[str, str]
) -> bytes:
    """Paragraphs, then a "Technical Skills" table with a bold header row and grid borders, then more."""
    import docx

    document = docx.Document()
    document.core_properties.author = "testset"
    add_blocks(document, before)
    document.add_heading("Technical Skills", level=1)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    for label, values in rows:
        left, right = table.add_row().cells
        left.paragraphs[0].add_run(label).bold = True
        right.text = values
    add_blocks(document, after)
    return _docx_bytes(document)


def render_docx_header_grid(
    left: list[str], right: list[str], body: list[Block], grid: list[str], after: list[Block], *, cols: int
) -> bytes:
    """A two-cell header table (name | contact), paragraphs, and skills as a borderless grid of items."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.author = "testset"
    header = document.add_table(rows=1, cols=2)
    left_cell, right_cell = header.rows[0].cells
    left_cell.text = left[0]
    left_cell.paragraphs[0].runs[0].font.size = Pt(20)
    left_cell.paragraphs[0].runs[0].bold = True
    for line in left[1:]:
        left_cell.add_paragraph(line)
    right_cell.text = right[0]
    for line in right[1:]:
        right_cell.add_paragraph(line)
    add_blocks(document, body)
    document.add_heading("Skills", level=1)
    table = document.add_table(rows=0, cols=cols)
    for start in range(0, len(grid), cols):
        for cell, item in zip(table.add_row().cells, grid[start : start + cols], strict=False):
            cell.text = item
    add_blocks(document, after)
    return _docx_bytes(document)


# --- output -----------------------------------------------------------------------------------------------

BUILDERS: dict[str, tuple[Callable[[], bytes], dict[str, Any]]] = {
    "mobile_engineer.pdf": (lambda: render_one_column(MOBILE), MOBILE_TRUTH),
    "ml_engineer_vision.pdf": (lambda: render_two_column(ML_SIDEBAR, ML_MAIN), ML_TRUTH),
    "cloud_architect_azure.txt": (lambda: CLOUD_TXT.encode("utf-8"), CLOUD_TRUTH),
    "data_scientist_experiments.txt": (lambda: DATA_SCIENTIST_MD.encode("utf-8"), DATA_SCIENTIST_TRUTH),
    "sre_plain.txt": (lambda: SRE_TXT.encode("utf-8"), SRE_TRUTH),
    "engineering_manager.docx": (lambda: render_paragraph_docx(MANAGER), MANAGER_TRUTH),
    "security_engineer.pdf": (lambda: render_one_column(SECURITY), SECURITY_TRUTH),
    "frontend_engineer.pdf": (lambda: render_two_column(FRONTEND_SIDEBAR, FRONTEND_MAIN), FRONTEND_TRUTH),
    "data_engineer.docx": (
        lambda: render_docx_skill_table(
            DATA_ENGINEER, DATA_ENGINEER_SKILLS, DATA_ENGINEER_AFTER, header=("Area", "Technologies")
        ),
        DATA_ENGINEER_TRUTH,
    ),
    "qa_automation.docx": (
        lambda: render_docx_header_grid(QA_HEADER_LEFT, QA_HEADER_RIGHT, QA_BODY, QA_GRID, QA_AFTER, cols=3),
        QA_TRUTH,
    ),
    "embedded_firmware_scanned.pdf": (lambda: render_scanned(EMBEDDED_LINES), EMBEDDED_TRUTH),
    "fintech_payments.pdf": (lambda: render_one_column(FINTECH), FINTECH_TRUTH),
    "product_manager.docx": (lambda: render_paragraph_docx(PRODUCT_MANAGER), PRODUCT_MANAGER_TRUTH),
    "game_graphics.pdf": (lambda: render_one_column(GAME), GAME_TRUTH),
    "business_analyst_scanned.pdf": (lambda: render_scanned(ANALYST_LINES, serif=True), ANALYST_TRUTH),
}


def _month_index(value: str) -> int:
    year, month = value.split("-")
    return int(year) * 12 + int(month) - 1


def union_years(experience: list[dict[str, str]]) -> float:
    """The union of the job ranges in months, both ends inclusive, over 12."""
    months: set[int] = set()
    for job in experience:
        end = TRUTH_TODAY[:7] if job["end"] == "present" else job["end"]
        months.update(range(_month_index(job["start"]), _month_index(end) + 1))
    return round(len(months) / 12, 2)


def check(filename: str, truth: dict[str, Any]) -> None:
    skills = truth["skills"]
    duplicates = sorted({s for s in skills if [t.lower() for t in skills].count(s.lower()) > 1})
    assert not duplicates, f"{filename}: skills listed twice: {duplicates}"
    years = union_years(truth["experience"])
    assert years == truth["total_years"], f"{filename}: total_years {truth['total_years']} != {years}"
    assert truth["phone"].startswith("+") and truth["phone"][1:].isdigit(), filename


def write_set(
    folder: Path,
    builders: dict[str, tuple[Callable[[], bytes], dict[str, Any]]],
    check_truth: Callable[[str, dict[str, Any]], None],
) -> None:
    """Check each truth, render each resume, and write both into `folder`; print what was written."""
    total = 0
    for filename, (build, truth) in builders.items():
        check_truth(filename, truth)
        data = build()
        assert len(data) < 200 * 1024, f"{filename} is {len(data)} bytes"
        (folder / filename).write_bytes(data)
        stem = filename.rsplit(".", 1)[0]
        record = {"file": filename, "today": TRUTH_TODAY, **truth}
        (folder / f"{stem}.truth.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        total += len(truth["skills"])
        print(
            f"{filename:34} {truth['format']:15} {len(truth['skills']):3} skills  {len(data) / 1024:6.1f} kB"
        )
    print(f"{len(builders)} resumes, {total} skills")


def main() -> None:
    write_set(TESTSET, BUILDERS, check)


if __name__ == "__main__":
    main()
