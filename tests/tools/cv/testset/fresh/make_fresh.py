"""Generate the second blind CV test set in tests/tools/cv/testset/fresh/ and its ground truth.

Run: .venv/bin/python -m tests.tools.cv.testset.fresh.make_fresh

Twelve resumes, one per person, written by hand without looking at the analyzer's skill taxonomy, its skill
code or any other analyzer source. It follows the first set (tests/tools/cv/testset/make_testset.py): the same
renderers, the same truth JSON format (including the `field` and `format` keys) and the same truth rules,
restated in README.md. People, companies and wording are new. "present" means the month of TRUTH_TODAY;
total_years is the union of the job ranges in months (both ends inclusive) / 12, written by hand and checked
against the experience list when the files are written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.tools.cv.make_fixtures import (
    _b,
    render_one_column,
    render_paragraph_docx,
    render_scanned,
    render_two_column,
)
from tests.tools.cv.testset.make_testset import (
    check,
    render_docx_header_grid,
    render_docx_skill_table,
    write_set,
)

FRESH = Path(__file__).parent


# --- 1. backend Java / Spring engineer at a logistics company, one-column PDF -------------------------------

LOGISTICS = [
    _b("name", "Femke van der Berg"),
    _b("subtitle", "Senior Backend Engineer · Java / Spring · Logistics"),
    _b("contact", "femke.vanderberg@example.nl | +31 6 2345 6789 | Rotterdam, the Netherlands"),
    _b("contact", "github.com/fvdberg | linkedin.com/in/femkevanderberg"),
    _b("heading", "Profile"),
    _b("text", "Twelve years of Java on the systems that move parcels rather than pixels: shipment tracking, "
               "depot sorting, route planning and carrier connections for Benelux logistics networks. I like "
               "explicit domain models, small services and dashboards that say what broke before the customer "
               "does."),
    _b("heading", "Work history"),
    _b("job", "Senior Backend Engineer — PostNL, The Hague", "Oct 2019 – now"),
    _b("bullet", "Own the track-and-trace platform: 25 Spring Boot 3 microservices on Java 21 that process "
                 "1.2M scan events an hour."),
    _b("bullet", "Rebuilt the depot sorting feed on Kafka Streams with Avro schemas in Confluent Schema Registry; "
                 "exactly-once writes into PostgreSQL."),
    _b("bullet", "Wrote the last-mile route optimisation service on Google OR-Tools; vans now drive 8% fewer "
                 "kilometres per route."),
    _b("bullet", "Connected large shippers' warehouse systems (SAP EWM, Manhattan WMS) through EDIFACT messages. "
                 "Those systems are run by the shippers themselves; I only built our side of the exchange."),
    _b("bullet", "Services run on AWS (EKS) with Helm and Argo CD; traces through OpenTelemetry, logs in ES, "
                 "dashboards in Grafana."),
    _b("bullet", "Chaired the design review when the express parcel product moved to same-day delivery."),
    _b("job", "Software Engineer — Sendcloud, Eindhoven", "Feb 2017 – Sep 2019"),
    _b("bullet", "Built the DHL, DPD and UPS label connectors in Java 11 and Spring; carrier stubs in WireMock "
                 "and integration tests on Testcontainers."),
    _b("bullet", "Routed messages between carrier adapters with Apache Camel over RabbitMQ."),
    _b("bullet", "Wrote the label-rendering service in Kotlin, my first Kotlin in production."),
    _b("job", "Java Developer — Centric, Gouda", "Sep 2014 – Jan 2017"),
    _b("bullet", "Maintained a transport management system (TMS) for regional hauliers: Java 8, JSF and "
                 "Hibernate on Oracle 12c."),
    _b("bullet", "Unit tests in JUnit 4; Maven builds on Jenkins."),
    _b("heading", "Education"),
    _b("job", "MSc Computer Science"),
    _b("text", "Delft University of Technology, 2012 – 2014"),
    _b("heading", "Skills"),
    _b("text", "Languages: Java (8 → 21), Kotlin, SQL"),
    _b("text", "Frameworks: SpringBoot 3, Hibernate, Apache Camel, Kafka Streams"),
    _b("text", "Data & messaging: kafka, RabbitMQ, PG, Oracle, Redis, ES"),
    _b("text", "Ops: Docker, k8s (EKS), Helm, Argo CD, GH Actions, Grafana, OpenTelemetry"),
    _b("text", "Logistics: track & trace, route optimisation, EDI (EDIFACT), TMS"),
    _b("heading", "Languages"),
    _b("text", "Dutch (native), English (C2), German (B1)"),
]  # fmt: skip
LOGISTICS_TRUTH = {
    "name": "Femke van der Berg",
    "email": "femke.vanderberg@example.nl",
    "phone": "+31623456789",
    "links": ["https://github.com/fvdberg", "https://linkedin.com/in/femkevanderberg"],
    "skills": [
        "Java", "Spring Boot", "Microservices", "Track and Trace", "Apache Kafka", "Kafka Streams", "Apache Avro",
        "Confluent Schema Registry", "PostgreSQL", "Route Optimization", "Google OR-Tools", "EDI", "EDIFACT",
        "AWS", "Amazon EKS", "Kubernetes", "Helm", "Argo CD", "OpenTelemetry", "Elasticsearch", "Grafana",
        "Spring", "WireMock", "Integration Testing", "Testcontainers", "Apache Camel", "RabbitMQ", "Kotlin",
        "Transport Management Systems", "JavaServer Faces", "Hibernate", "Oracle Database", "Unit Testing",
        "JUnit", "Maven", "Jenkins", "SQL", "Redis", "Docker", "GitHub Actions",
    ],
    "experience": [
        {"title": "Senior Backend Engineer", "company": "PostNL", "start": "2019-10", "end": "present"},
        {"title": "Software Engineer", "company": "Sendcloud", "start": "2017-02", "end": "2019-09"},
        {"title": "Java Developer", "company": "Centric", "start": "2014-09", "end": "2017-01"},
    ],
    "education": [
        {"degree": "MSc Computer Science", "institution": "Delft University of Technology", "year": 2014},
    ],
    "total_years": 12.25,  # Sep 2014 .. Nov 2026: 147 months
    "primary_field": "backend",
    "extraction_method": "text",
    "field": "backend engineer (Java / Spring, logistics)",
    "format": "pdf one-column",
}  # fmt: skip


# --- 2. Android-only engineer, two-column PDF --------------------------------------------------------------

ANDROID_SIDEBAR = [
    _b("heading", "CONTACT"),
    _b("text", "bao.tran@example.vn"),
    _b("text", "+84 90 123 4567"),
    _b("text", "Ho Chi Minh City, Vietnam"),
    _b("text", "github.com/baotran-android"),
    _b("text", "baotran.dev"),
    _b("heading", "SKILLS"),
    *[_b("text", item) for item in (
        "Kotlin (K2) · Java 11", "Jetpack Compose", "Coroutines + Flow", "Hilt", "Room · DataStore",
        "Retrofit2 / OkHttp / Moshi", "JUnit5, MockK, Turbine", "Robolectric, Espresso", "detekt · ktlint",
        "Gradle (version catalogs)", "Firebase (FCM, Crashlytics, Remote Config)", "GH Actions", "MVVM",
    )],
    _b("heading", "LANGUAGES"),
    _b("text", "Vietnamese (native)"),
    _b("text", "English (IELTS 7.5)"),
    _b("text", "Japanese (JLPT N3)"),
]  # fmt: skip
ANDROID_MAIN = [
    _b("name", "Trần Quốc Bảo"),
    _b("subtitle", "Senior Android Engineer"),
    _b("heading", "PROFILE"),
    _b("text", "Android engineer, Android only by choice, with ten years on payments and e-commerce apps for "
               "Vietnam, where most users have low-end phones and patchy mobile data. I care about startup "
               "time, app size and crash-free sessions more than about the newest library."),
    _b("heading", "EXPERIENCE"),
    _b("job", "MoMo (M_Service)"),
    _b("text", "Senior Android Engineer"),
    _b("text", "2021/06 – Present"),
    _b("bullet", "Tech lead for the payments SDK inside the MoMo super-app (31M users), written in Kotlin with "
                 "Jetpack Compose and split into 40 Gradle modules."),
    _b("bullet", "Cut cold start by 38% with Baseline Profiles, measured with Macrobenchmark on a farm of "
                 "low-end devices."),
    _b("bullet", "PIN and biometric login backed by the Android Keystore; certificate pinning in OkHttp; code "
                 "shrinking with R8."),
    _b("bullet", "The iOS team ships the same features in Swift. I agree API contracts with them, but I do not "
                 "work on the iOS app."),
    _b("job", "Tiki"),
    _b("text", "Android Developer"),
    _b("text", "2018/03 – 2021/05"),
    _b("bullet", "Rewrote the product and cart screens from MVP to MVVM with Jetpack ViewModel and LiveData."),
    _b("bullet", "Replaced RxJava 2 chains with Coroutines and Flow."),
    _b("bullet", "Offline cart in Room; push campaigns over FCM; weekly crash triage in Crashlytics."),
    _b("bullet", "A/B tested the checkout button layout with Remote Config."),
    _b("job", "FPT Software"),
    _b("text", "Junior Android Developer"),
    _b("text", "2016/08 – 2018/02"),
    _b("bullet", "Outsourced apps for Japanese retail clients in Java, with Volley and SQLite; Espresso UI "
                 "tests."),
    _b("bullet", "The clients' back ends were written in PHP by another vendor; we only called their APIs."),
    _b("heading", "EDUCATION"),
    _b("job", "B.Eng. Computer Science"),
    _b("text", "Ho Chi Minh City University of Technology (HCMUT)"),
    _b("text", "2012 – 2016"),
    _b("heading", "OUTSIDE WORK"),
    _b("text", "Captain of the office darts team; street-food photography."),
]  # fmt: skip
ANDROID_TRUTH = {
    "name": "Trần Quốc Bảo",
    "email": "bao.tran@example.vn",
    "phone": "+84901234567",
    "links": ["https://github.com/baotran-android", "https://baotran.dev"],
    "skills": [
        "Android", "Kotlin", "Java", "Jetpack Compose", "Kotlin Coroutines", "Kotlin Flow", "Hilt", "Room",
        "Jetpack DataStore", "Retrofit", "OkHttp", "Moshi", "JUnit", "MockK", "Turbine", "Robolectric",
        "Espresso", "detekt", "ktlint", "Gradle", "Firebase", "Firebase Cloud Messaging", "Firebase Crashlytics",
        "Firebase Remote Config", "GitHub Actions", "MVVM", "Baseline Profiles", "Macrobenchmark",
        "Android Keystore", "Certificate Pinning", "R8", "MVP", "Android Jetpack", "LiveData", "RxJava",
        "A/B Testing", "Volley", "SQLite", "UI Testing", "Technical Leadership",
    ],
    "experience": [
        {"title": "Senior Android Engineer", "company": "MoMo", "start": "2021-06", "end": "present"},
        {"title": "Android Developer", "company": "Tiki", "start": "2018-03", "end": "2021-05"},
        {"title": "Junior Android Developer", "company": "FPT Software", "start": "2016-08", "end": "2018-02"},
    ],
    "education": [
        {"degree": "B.Eng. Computer Science", "institution": "Ho Chi Minh City University of Technology",
         "year": 2016},
    ],
    "total_years": 10.33,  # Aug 2016 .. Nov 2026: 124 months
    "primary_field": "mobile",
    "extraction_method": "text",
    "field": "Android engineer (Android only)",
    "format": "pdf two-column",
}  # fmt: skip


# --- 3. NLP / LLM engineer (RAG, fine-tuning, vector databases), one-column PDF ----------------------------

NLP = [
    _b("name", "Noa Ben-David"),
    _b("subtitle", "Senior NLP / LLM Engineer"),
    _b("contact", "noa.bendavid@example.co.il · +972 54 123 4567 · Tel Aviv, Israel"),
    _b("contact", "huggingface.co/noabd · github.com/noa-bd"),
    _b("heading", "Summary"),
    _b("text", "NLP engineer who came to LLMs from classic text classification. I build retrieval-augmented "
               "generation that cites its sources, fine-tune open-weight models when prompting is not enough, "
               "and do not ship anything I cannot evaluate."),
    _b("heading", "Experience"),
    _b("job", "Senior NLP Engineer — monday.com, Tel Aviv", "Mar 2023 – Present"),
    _b("bullet", "Built the RAG pipeline behind the in-product AI assistant: hybrid search (BM25 in ES plus dense "
                 "vectors in pgvector) and grounded answers with citations."),
    _b("bullet", "Before the assistant, finding the right help article was needle-in-a-haystack work for support "
                 "agents; first-contact resolution is up 17%."),
    _b("bullet", "Moved the vector store to Qdrant once the index passed 80M chunks; chunking and embedding jobs "
                 "run on Ray."),
    _b("bullet", "Fine-tuned Llama 3 8B and Mistral 7B with LoRA (QLoRA on single GPUs) using HF PEFT and TRL to "
                 "draft replies to support tickets; serving on vLLM."),
    _b("bullet", "Offline evals with Ragas, LLM-as-a-judge and a 600-question golden set; prompt regression tests "
                 "run in CI."),
    _b("bullet", "The annotation tool was built by the frontend team in Vue; I designed its labelling schema."),
    _b("job", "NLP Engineer — Taboola, Tel Aviv", "Aug 2020 – Feb 2023"),
    _b("bullet", "Classified 10M articles a day into the IAB content taxonomy with a fine-tuned BERT-base model, "
                 "exported to ONNX for CPU inference."),
    _b("bullet", "Custom spaCy pipelines for named entity recognition; keyword extraction in sklearn."),
    _b("bullet", "Multilingual sentence-transformers embeddings for near-duplicate detection across 14 "
                 "languages."),
    _b("bullet", "Training pipelines scheduled in Airflow; experiments tracked in MLflow."),
    _b("job", "Research Assistant — Technion, Haifa", "Oct 2018 – Jul 2020"),
    _b("bullet", "Hebrew morphological tagging with BiLSTM-CRF models in PyTorch, plus one TF 1.x baseline I "
                 "inherited."),
    _b("heading", "Education"),
    _b("text", "M.Sc. Data Science — Technion – Israel Institute of Technology, 2020"),
    _b("text", "B.Sc. Computer Science — Tel Aviv University, 2018"),
    _b("heading", "Skills"),
    _b("text", "LLMs: RAG, fine-tuning (LoRA, QLoRA), prompt eng., evals"),
    _b("text", "Models & APIs: Llama, Mistral, OpenAI API, BERT-family encoders"),
    _b("text", "Libraries: HF Transformers / PEFT / TRL, LangChain (reluctantly), sentence-transformers, spaCy, "
               "sklearn"),
    _b("text", "Vector DBs: pgvector, Qdrant, ES kNN"),
    _b("text", "Serving & infra: vLLM, Ray, k8s · Code: Python"),
    _b("heading", "Languages"),
    _b("text", "Hebrew (native), English (fluent), Russian (conversational)"),
]  # fmt: skip
NLP_TRUTH = {
    "name": "Noa Ben-David",
    "email": "noa.bendavid@example.co.il",
    "phone": "+972541234567",
    "links": ["https://huggingface.co/noabd", "https://github.com/noa-bd"],
    "skills": [
        "NLP", "Large Language Models", "Text Classification", "Retrieval-Augmented Generation", "Fine-Tuning",
        "Hybrid Search", "BM25", "Elasticsearch", "pgvector", "Qdrant", "Embeddings", "Ray", "Llama", "Mistral",
        "LoRA", "QLoRA", "Hugging Face PEFT", "TRL", "vLLM", "Ragas", "LLM Evaluation", "Prompt Engineering",
        "BERT", "ONNX", "spaCy", "Named Entity Recognition", "scikit-learn", "Sentence Transformers",
        "Keyword Extraction", "Apache Airflow", "MLflow", "Experiment Tracking", "PyTorch", "TensorFlow", "OpenAI API", "Hugging Face Transformers",
        "LangChain", "Vector Databases", "Kubernetes", "Python",
    ],
    "experience": [
        {"title": "Senior NLP Engineer", "company": "monday.com", "start": "2023-03", "end": "present"},
        {"title": "NLP Engineer", "company": "Taboola", "start": "2020-08", "end": "2023-02"},
        {"title": "Research Assistant", "company": "Technion", "start": "2018-10", "end": "2020-07"},
    ],
    "education": [
        {"degree": "M.Sc. Data Science", "institution": "Technion – Israel Institute of Technology", "year": 2020},
        {"degree": "B.Sc. Computer Science", "institution": "Tel Aviv University", "year": 2018},
    ],
    "total_years": 8.17,  # Oct 2018 .. Nov 2026: 98 months; the research job overlaps the master's
    "primary_field": "ml",
    "extraction_method": "text",
    "field": "NLP / LLM engineer (RAG, fine-tuning, vector databases)",
    "format": "pdf one-column",
}  # fmt: skip


# --- 4. AWS solutions architect, one-column PDF ------------------------------------------------------------

AWS_ARCHITECT = [
    _b("name", "Wanjiru Kamau"),
    _b("subtitle", "Lead Cloud Solutions Architect (AWS)"),
    _b("contact", "wanjiru.kamau@example.co.ke  •  +254 712 345 678  •  Nairobi, Kenya  •  "
                  "linkedin.com/in/wanjirukamau"),
    _b("heading", "Summary"),
    _b("text", "AWS architect for telco and fintech workloads in East Africa. I design multi-account landing "
               "zones, lead migrations out of ageing data centres, and build serverless systems that hold up on "
               "payday traffic peaks. I would rather write a one-page decision record than a forty-slide deck."),
    _b("heading", "Experience"),
    _b("job", "Lead Cloud Solutions Architect — Safaricom PLC, Nairobi", "Jul 2021 – Present"),
    _b("bullet", "Designed the AWS landing zone with Control Tower, AWS Organizations and SCPs for 90 accounts, "
                 "all of it defined in CDK (TypeScript)."),
    _b("bullet", "Led the migration of 220 workloads from two on-premises data centres with AWS Application "
                 "Migration Service."),
    _b("bullet", "Hybrid network over Transit Gateway and Direct Connect; DNS in Route 53."),
    _b("bullet", "Serverless design for airtime top-ups: API Gateway, Lambda, Step Functions, EventBridge and "
                 "DynamoDB, at 4,000 requests a second on payday."),
    _b("bullet", "Run the Well-Architected reviews and the monthly cost review; Savings Plans and rightsizing cut "
                 "the bill by 27%."),
    _b("bullet", "The billing platform (Oracle BRM) stays on-premises under the vendor's managed service; we only "
                 "expose it to AWS through private APIs."),
    _b("bullet", "Started an architecture guild to amplify what each migration team learns."),
    _b("job", "Solutions Architect — Cellulant, Nairobi", "Jan 2018 – Jun 2021"),
    _b("bullet", "Moved the payments gateway to ECS on Fargate with Aurora PostgreSQL; blue/green releases "
                 "through CodeDeploy."),
    _b("bullet", "Security baseline: GuardDuty everywhere, and AWS WAF in front of CloudFront."),
    _b("bullet", "Scoped the card vault for PCI DSS and sat with the QSA through the audit."),
    _b("bullet", "Infrastructure in TF, from 0.11 to 1.x, with remote state in S3."),
    _b("job", "Systems Engineer — KCB Group, Nairobi", "Apr 2014 – Dec 2017"),
    _b("bullet", "Ran VMware vSphere and RHEL servers for the branch network; automated patching with Bash and "
                 "Python."),
    _b("heading", "Education"),
    _b("text", "BSc Computer Science — University of Nairobi — 2013"),
    _b("heading", "Certifications"),
    _b("text", "AWS Certified Solutions Architect – Professional · AWS Certified Security – Specialty · AWS "
               "Certified Advanced Networking – Specialty · HashiCorp Certified: Terraform Associate"),
    _b("heading", "Skills"),
    _b("text", "AWS: Organizations, Control Tower, CDK, CloudFormation, Lambda, ECS/Fargate, DynamoDB, Aurora, S3"),
    _b("text", "Networking: VPC design, TGW, DX, Route 53, CloudFront"),
    _b("text", "IaC: CDK (TS), Terraform, CloudFormation"),
    _b("text", "Other: Python, Bash"),
    _b("heading", "Languages"),
    _b("text", "English, Swahili, Kikuyu"),
]  # fmt: skip
AWS_ARCHITECT_TRUTH = {
    "name": "Wanjiru Kamau",
    "email": "wanjiru.kamau@example.co.ke",
    "phone": "+254712345678",
    "links": ["https://linkedin.com/in/wanjirukamau"],
    "skills": [
        "AWS", "AWS Landing Zone", "AWS Control Tower", "AWS Organizations", "Service Control Policies", "AWS CDK",
        "TypeScript", "Cloud Migration", "AWS Application Migration Service", "AWS Transit Gateway",
        "AWS Direct Connect", "Amazon Route 53", "Serverless Architecture", "Amazon API Gateway", "AWS Lambda",
        "AWS Step Functions", "Amazon EventBridge", "DynamoDB", "Well-Architected Framework",
        "Cloud Cost Optimization", "Amazon ECS", "AWS Fargate", "Amazon Aurora", "PostgreSQL", "AWS CodeDeploy",
        "Blue-Green Deployment", "Amazon GuardDuty", "AWS WAF", "Amazon CloudFront", "PCI DSS",
        "Terraform", "Amazon S3", "VMware vSphere", "Red Hat Enterprise Linux", "Bash", "Python",
        "AWS CloudFormation", "Amazon VPC", "Networking", "Infrastructure as Code",
    ],
    "experience": [
        {"title": "Lead Cloud Solutions Architect", "company": "Safaricom PLC", "start": "2021-07",
         "end": "present"},
        {"title": "Solutions Architect", "company": "Cellulant", "start": "2018-01", "end": "2021-06"},
        {"title": "Systems Engineer", "company": "KCB Group", "start": "2014-04", "end": "2017-12"},
    ],
    "education": [{"degree": "BSc Computer Science", "institution": "University of Nairobi", "year": 2013}],
    "total_years": 12.67,  # Apr 2014 .. Nov 2026: 152 months
    "primary_field": "cloud_architecture",
    "extraction_method": "text",
    "field": "AWS solutions architect",
    "format": "pdf one-column",
}  # fmt: skip


# --- 5. analytics engineer (dbt, Looker), DOCX with a bordered skills table ---------------------------------

ANALYTICS = [
    _b("name", "Hamish MacLeod"),
    _b("contact", "Senior Analytics Engineer · Sydney, Australia"),
    _b("contact", "hamish.macleod@example.com.au · +61 412 345 678 · hamishmacleod.com.au · "
                  "github.com/hmacleod"),
    _b("heading", "About me"),
    _b("text", "Analytics engineer who sits between the data platform and the people asking questions. I turn "
               "raw event and billing data into tested, documented models, and I would rather delete a dashboard "
               "than let two of them disagree."),
    _b("heading", "Experience"),
    _b("job", "Senior Analytics Engineer — Canva"),
    _b("text", "Feb 2022 – Current · Sydney"),
    _b("bullet", "Own the dbt project for product analytics: 650 models on Snowflake, with incremental models, "
                 "snapshots and tests on every primary key."),
    _b("bullet", "Rebuilt 14 Looker explores in LookML on one shared semantic layer and retired 300 unused "
                 "dashboards."),
    _b("bullet", "Agreed the definitions of activation, retention and ARR with Finance and Product, so the "
                 "enterprise segment team and the board now quote the same number."),
    _b("bullet", "Slim CI for dbt on GitHub Actions with SQLFluff linting; data observability with Elementary."),
    _b("bullet", "Reverse ETL of account health scores with Hightouch into the sales team's Salesforce. I never "
                 "administer Salesforce itself."),
    _b("job", "Data Analyst — Afterpay"),
    _b("text", "Jul 2019 – Jan 2022 · Melbourne"),
    _b("bullet", "Moved finance reporting from ad-hoc SQL in Redash to dbt models on BigQuery."),
    _b("bullet", "Ingestion with Fivetran and Stitch; orchestration in Airflow on Cloud Composer."),
    _b("bullet", "Cohort analysis for the credit-risk team in Python (pandas) and Mode."),
    _b("bullet", "Joined ABS census data to postcode-level repayment metrics for the hardship programme."),
    _b("job", "Reporting Analyst — Telstra"),
    _b("text", "Mar 2017 – Jun 2019 · Melbourne"),
    _b("bullet", "Weekly Tableau and Excel reports off the Teradata warehouse; retired a pile of VBA macros."),
]  # fmt: skip
ANALYTICS_SKILLS = [
    (
        "Modelling",
        "dbt Core & dbt Cloud (expert), dimensional modelling (Kimball), Data Vault 2.0 (exposure only)",
    ),
    ("SQL", "Snowflake, BigQuery Standard SQL, Postgres, T-SQL (rusty)"),
    ("BI", "Looker / LookML (expert), Tableau, Mode, Redash, Lightdash"),
    ("Ingestion & orchestration", "Fivetran, Stitch, Airflow, Dagster (learning)"),
    ("Data quality", "dbt tests, Elementary, Great Expectations, SQLFluff"),
    ("Other", "Python 3 (pandas), Jinja, git, GH Actions"),
]
ANALYTICS_AFTER = [
    _b("heading", "Education"),
    _b("text", "Bachelor of Commerce (Economics and Information Systems), University of Melbourne, 2016"),
    _b("heading", "Languages (spoken)"),
    _b("text", "English (native), Scottish Gaelic (basic)"),
]
ANALYTICS_TRUTH = {
    "name": "Hamish MacLeod",
    "email": "hamish.macleod@example.com.au",
    "phone": "+61412345678",
    "links": ["https://hamishmacleod.com.au", "https://github.com/hmacleod"],
    "skills": [
        "dbt", "Product Analytics", "Snowflake", "Looker", "LookML", "Semantic Layer", "GitHub Actions", "CI/CD",
        "SQLFluff", "Data Observability", "Elementary", "Reverse ETL", "Hightouch", "Redash", "BigQuery",
        "Fivetran", "Stitch", "Apache Airflow", "Cloud Composer", "Cohort Analysis", "Data Quality", "Python",
        "Pandas", "Mode", "Tableau", "Microsoft Excel", "Teradata", "VBA", "Data Modeling",
        "Dimensional Modeling", "Data Vault", "SQL", "PostgreSQL", "T-SQL", "Business Intelligence", "Lightdash",
        "Dagster", "Great Expectations", "Jinja", "Git",
    ],
    "experience": [
        {"title": "Senior Analytics Engineer", "company": "Canva", "start": "2022-02", "end": "present"},
        {"title": "Data Analyst", "company": "Afterpay", "start": "2019-07", "end": "2022-01"},
        {"title": "Reporting Analyst", "company": "Telstra", "start": "2017-03", "end": "2019-06"},
    ],
    "education": [
        {"degree": "Bachelor of Commerce (Economics and Information Systems)",
         "institution": "University of Melbourne", "year": 2016},
    ],
    "total_years": 9.75,  # Mar 2017 .. Nov 2026: 117 months
    "primary_field": "data",
    "extraction_method": "text",
    "field": "analytics engineer (dbt, Looker)",
    "format": "docx table",
}  # fmt: skip


# --- 6. director of engineering, DOCX with paragraphs ------------------------------------------------------

DIRECTOR = [
    _b("name", "Kwame Asante"),
    _b("contact", "Director of Engineering | Boston, MA"),
    _b("contact", "kwame.asante@example.com | +1 617 555 0164 | linkedin.com/in/kwameasante"),
    _b("heading", "Summary"),
    _b("text", "Director of engineering with eighteen years in software and ten leading people. I run "
               "organisations of 40–120 engineers: hiring, org design, budgets and the operating rhythm that lets "
               "teams ship every week without heroics."),
    _b("heading", "Experience"),
    _b("job", "Director of Engineering, HubSpot — Cambridge, MA"),
    _b("text", "March 2021 to present"),
    _b("bullet", "Lead the Commerce Hub engineering organisation: 9 teams, 85 engineers and 8 managers who report "
                 "to me."),
    _b("bullet", "Redesigned the org around stream-aligned and platform teams using Team Topologies; lead time "
                 "for changes halved."),
    _b("bullet", "Own a $14M annual budget for headcount, contractors and tooling, including vendor management."),
    _b("bullet", "Set engineering OKRs with product and design leadership and run quarterly planning."),
    _b("bullet", "Introduced DORA metrics and a blameless incident review programme; change failure rate fell "
                 "from 18% to 6%."),
    _b("bullet", "Run performance reviews and calibration in Lattice; promoted 11 engineers to senior and staff."),
    _b("bullet", "The quoting service we inherited through an acquisition is written in Elixir with Phoenix. My "
                 "teams maintain it; I have never written Elixir myself."),
    _b("bullet", "Protect focus time: no recurring meetings after 3 pm on any workday."),
    _b("job", "Senior Engineering Manager, Wayfair — Boston, MA"),
    _b("text", "June 2017 to February 2021"),
    _b("bullet", "Managed the supply-chain platform group: six teams and 45 engineers."),
    _b("bullet", "Led the programme that moved 200 services from our data centres to GCP (GKE); owned the plan, "
                 "the risk register and the budget."),
    _b("bullet", "Built the hiring process: structured interviews, scoring rubrics and 60 hires in 2019."),
    _b("bullet", "Ran SAFe PI planning across four release trains."),
    _b("job", "Staff Engineer, athenahealth — Watertown, MA"),
    _b("text", "2012 – 2017"),
    _b("bullet", "Tech lead for the claims engine: Java, Spring and Oracle, with HL7 and X12 interfaces to "
                 "payers."),
    _b("bullet", "Mentored eight engineers and started the architecture guild."),
    _b("job", "Software Engineer, Fidelity Investments — Boston, MA"),
    _b("text", "2008 – 2012"),
    _b("bullet", "Trading-desk tools in Java and C++; Perl and shell scripts for the nightly batch."),
    _b("heading", "Education"),
    _b("text", "M.S. Computer Science, Northeastern University, 2011"),
    _b("text", "B.Sc. Electrical and Electronic Engineering, Kwame Nkrumah University of Science and Technology "
               "(KNUST), Kumasi, 2007"),
    _b("heading", "Skills"),
    _b("text", "Leadership: people management, org design, hiring & interviewing, coaching, performance reviews, "
               "budgeting, OKRs, DORA metrics, incident management, vendor management, executive communication"),
    _b("text", "Technical: Java, Spring, AWS, GCP, Kubernetes, Kafka, system design, architecture reviews"),
    _b("text", "Tools: Jira, Jira Align, Confluence, Lattice, Looker"),
    _b("heading", "Languages"),
    _b("text", "English, Twi"),
]  # fmt: skip
DIRECTOR_TRUTH = {
    "name": "Kwame Asante",
    "email": "kwame.asante@example.com",
    "phone": "+16175550164",
    "links": ["https://linkedin.com/in/kwameasante"],
    "skills": [
        "People Management", "Org Design", "Team Topologies", "Budgeting", "Vendor Management", "OKRs",
        "DORA Metrics", "Incident Management", "Performance Reviews", "Lattice", "Cloud Migration", "GCP",
        "Google Kubernetes Engine", "Program Management", "Risk Management", "Hiring", "Structured Interviewing",
        "SAFe", "Technical Leadership", "Java", "Spring", "Oracle Database", "HL7", "X12", "Mentoring",
        "Software Architecture", "C++", "Perl", "Shell Scripting", "Coaching", "Executive Communication", "AWS",
        "Kubernetes", "Apache Kafka", "System Design", "Jira", "Jira Align", "Confluence", "Looker",
    ],
    "experience": [
        {"title": "Director of Engineering", "company": "HubSpot", "start": "2021-03", "end": "present"},
        {"title": "Senior Engineering Manager", "company": "Wayfair", "start": "2017-06", "end": "2021-02"},
        # year-only ranges: read as January to January, the convention of the existing fixtures
        {"title": "Staff Engineer", "company": "athenahealth", "start": "2012-01", "end": "2017-01"},
        {"title": "Software Engineer", "company": "Fidelity Investments", "start": "2008-01", "end": "2012-01"},
    ],
    "education": [
        {"degree": "M.S. Computer Science", "institution": "Northeastern University", "year": 2011},
        {"degree": "B.Sc. Electrical and Electronic Engineering",
         "institution": "Kwame Nkrumah University of Science and Technology", "year": 2007},
    ],
    "total_years": 18.58,  # Jan 2008 .. Jan 2017 (109 months) + Jun 2017 .. Nov 2026 (114 months)
    "primary_field": "management",
    "extraction_method": "text",
    "field": "director of engineering",
    "format": "docx",
}  # fmt: skip


# --- 7. Salesforce developer, DOCX with a header table and a skills grid -----------------------------------

SALESFORCE_HEADER_LEFT = ["Kristine Villanueva", "Senior Salesforce Developer"]
SALESFORCE_HEADER_RIGHT = [
    "kristine.villanueva@example.ph",
    "+63 917 123 4567",
    "Taguig City, Philippines",
    "trailblazer.me/id/kvillanueva",
]
SALESFORCE_BODY = [
    _b("heading", "Profile"),
    _b("text", "Salesforce developer with eight years on the platform and two before that in plain Java. I build "
               "on Service Cloud and Sales Cloud for telcos, banks and insurers, and I stay with declarative "
               "tools until they stop scaling."),
    _b("heading", "Employment"),
    _b("job", "Senior Salesforce Developer — Globe Telecom, Taguig"),
    _b("text", "Aug. 2021 – present"),
    _b("bullet", "Lead developer for the Service Cloud rollout to 3,000 contact-centre agents: Lightning Web "
                 "Components, Apex triggers and Omni-Channel routing."),
    _b("bullet", "Replaced 40 Process Builder and Workflow Rule automations with record-triggered Flows."),
    _b("bullet", "Integrations over Platform Events and the REST and Bulk APIs. The network inventory system on "
                 "the other side runs on Oracle and is owned by the OSS team; I never touched it."),
    _b("bullet", "Source-driven development with SFDX and scratch orgs; deployments through Copado."),
    _b("bullet", "Apex unit tests at 92% coverage and Jest tests for every LWC."),
    _b("bullet", "We had some slack in the last sprint of 2023, so I rebuilt the case-merge tool."),
    _b("job", "Salesforce Developer — Cognizant, Manila"),
    _b("text", "Nov. 2018 – Jul. 2021"),
    _b("bullet", "Sales Cloud and CPQ projects for a US insurer and an Australian bank; quote templates in "
                 "Visualforce."),
    _b("bullet", "Migrated 2M records with Data Loader and cleaned them with SOQL and SOSL scripts."),
    _b("bullet", "Built Aura components, later rewritten as LWC."),
    _b("bullet", "The bank's core ledger ran on Finastra Fusion and was reached only through a MuleSoft layer "
                 "that another vendor ran; we called a single upsert endpoint."),
    _b("job", "Junior Java Developer — Pointwest Technologies, Quezon City"),
    _b("text", "Jun. 2016 – Oct. 2018"),
    _b("bullet", "Spring MVC web apps on MySQL, built with Maven on Jenkins."),
]  # fmt: skip
SALESFORCE_GRID = [
    "Apex", "LWC", "Aura",
    "SOQL / SOSL", "Visualforce", "Flow Builder",
    "Sales Cloud", "Service Cloud", "Experience Cloud",
    "Salesforce CPQ", "Platform Events", "REST / Bulk API",
    "SFDX CLI", "Copado", "Gearset",
    "Git / GitHub", "Jest", "VS Code",
    "Javascript (ES6+)", "Java", "SQL",
    "Agile / Scrum", "Postman", "Data Loader",
]  # fmt: skip
SALESFORCE_AFTER = [
    _b("heading", "Certifications"),
    _b(
        "text",
        "Salesforce Certified Platform Developer I and II · Salesforce Certified Administrator · Sales "
        "Cloud Consultant",
    ),
    _b("heading", "Education"),
    _b("text", "BS Computer Science — University of Santo Tomas, Manila — 2016"),
    _b("heading", "Languages (spoken)"),
    _b("text", "Filipino (native), English (fluent), Cebuano (conversational)"),
]
SALESFORCE_TRUTH = {
    "name": "Kristine Villanueva",
    "email": "kristine.villanueva@example.ph",
    "phone": "+639171234567",
    "links": ["https://trailblazer.me/id/kvillanueva"],
    "skills": [
        "Salesforce", "Salesforce Service Cloud", "Lightning Web Components", "Apex", "Omni-Channel",
        "Process Builder", "Workflow Rules", "Salesforce Flow", "Platform Events", "REST APIs",
        "Salesforce Bulk API", "Salesforce DX", "Copado", "Unit Testing", "Jest", "Salesforce Sales Cloud",
        "Salesforce CPQ", "Visualforce", "Data Loader", "Data Migration", "SOQL", "SOSL", "Aura Components",
        "Spring", "MySQL", "Maven", "Jenkins", "Java", "Salesforce Experience Cloud", "Gearset", "Git", "GitHub",
        "Visual Studio Code", "JavaScript", "SQL", "Agile", "Scrum", "Postman",
    ],
    "experience": [
        {"title": "Senior Salesforce Developer", "company": "Globe Telecom", "start": "2021-08", "end": "present"},
        {"title": "Salesforce Developer", "company": "Cognizant", "start": "2018-11", "end": "2021-07"},
        {"title": "Junior Java Developer", "company": "Pointwest Technologies", "start": "2016-06",
         "end": "2018-10"},
    ],
    "education": [
        {"degree": "BS Computer Science", "institution": "University of Santo Tomas", "year": 2016},
    ],
    "total_years": 10.5,  # Jun 2016 .. Nov 2026: 126 months
    # No CRM category: Apex and integrations are backend work, Lightning Web Components are frontend work.
    "primary_field": ["backend", "frontend"],
    "extraction_method": "text",
    "field": "Salesforce / CRM developer",
    "format": "docx table",
}  # fmt: skip


# --- 8. site reliability engineer on GCP, plain text file --------------------------------------------------

SRE_GCP_TXT = """Valentina Rojas Fuentes
Senior Site Reliability Engineer (GCP)
Santiago, Chile
valentina.rojas@example.cl  /  +56 9 8765 4321
https://vrojas.cl  /  gitlab.com/vrojas

Summary
-------
SRE on Google Cloud since 2018. Most of my week is Kubernetes, Terraform and making the case for error
budgets. Before that I was a Linux sysadmin, which is why I still read the logs before the dashboards.

Experience
----------
Falabella Tecnología -- Senior Site Reliability Engineer
04/2021 - current
  + Run 22 GKE clusters (Autopilot and Standard) in three regions for the retail and banking apps;
    99.97% checkout availability through the last CyberDay.
  + Service mesh on Anthos Service Mesh (Istio); canary releases with Argo Rollouts.
  + All infrastructure in TF: 300 modules, plan/apply on merge requests through Atlantis.
  + Observability: Cloud Monitoring and Cloud Logging, Managed Service for Prometheus and Grafana. SLOs
    per customer journey with multi-window burn-rate alerts.
  + Incident commander rotation, blameless postmortems, paging through Opsgenie.
  + Committed-use discounts and rightsizing cut GCP spend by 24% in one year.
  + The payment switch is an IBM i (AS/400) system run by the core-banking team; we only watch its
    health endpoint from our side.

Cornershop -- Platform Engineer
09/2018 - 03/2021
  + Moved the platform off Heroku onto GKE: Helm charts, Cloud SQL (PG 11) and Redis.
  + CI/CD in GitLab CI and Cloud Build.
  + Wrote a Go CLI for on-call handovers and Python jobs for database maintenance.

Entel -- Linux Systems Administrator
01/2015 - 08/2018
  + Looked after 400 RHEL servers managed with Puppet.
  + Replaced Nagios with Zabbix for infrastructure monitoring.
  + Bash scripts for backups and user provisioning.

Skills
------
GCP ............ GKE, Cloud SQL, Cloud Build, Cloud Monitoring, Cloud Logging
k8s ............ Helm, Argo CD, Argo Rollouts, Istio
IaC ............ Terraform, Atlantis
Observability .. Prometheus, Grafana, Opsgenie
Code ........... Go, Python, Bash

Education
---------
Ingeniería Civil en Computación, Universidad de Chile, 2014

Certifications
--------------
Google Cloud Professional Cloud DevOps Engineer (2022)
Certified Kubernetes Administrator - CKA (2020)

Languages
---------
Spanish (native), English (C1), Portuguese (B1)

Outside work
------------
Dinghy sailing on Lago Rapel; on bigger boats I usually end up trimming the spinnaker.
"""
SRE_GCP_TRUTH = {
    "name": "Valentina Rojas Fuentes",
    "email": "valentina.rojas@example.cl",
    "phone": "+56987654321",
    "links": ["https://vrojas.cl", "https://gitlab.com/vrojas"],
    "skills": [
        "Site Reliability Engineering", "GCP", "Kubernetes", "Terraform", "SLOs", "Linux",
        "Google Kubernetes Engine", "Service Mesh", "Anthos Service Mesh", "Istio", "Canary Deployments", "Argo Rollouts",
        "Infrastructure as Code", "Atlantis", "Observability", "Google Cloud Monitoring", "Google Cloud Logging",
        "Prometheus", "Grafana", "Incident Management", "Opsgenie", "Cloud Cost Optimization", "Heroku", "Helm",
        "Cloud SQL", "PostgreSQL", "Redis", "CI/CD", "GitLab CI", "Google Cloud Build", "Go", "Python",
        "Red Hat Enterprise Linux", "Puppet", "Nagios", "Zabbix", "Bash", "Argo CD",
    ],
    "experience": [
        {"title": "Senior Site Reliability Engineer", "company": "Falabella Tecnología", "start": "2021-04",
         "end": "present"},
        {"title": "Platform Engineer", "company": "Cornershop", "start": "2018-09", "end": "2021-03"},
        {"title": "Linux Systems Administrator", "company": "Entel", "start": "2015-01", "end": "2018-08"},
    ],
    "education": [
        {"degree": "Ingeniería Civil en Computación", "institution": "Universidad de Chile", "year": 2014},
    ],
    "total_years": 11.92,  # Jan 2015 .. Nov 2026: 143 months
    "primary_field": "devops",
    "extraction_method": "text",
    "field": "site reliability engineer (GCP)",
    "format": "txt",
}  # fmt: skip


# --- 9. React Native engineer, Markdown-style text file ----------------------------------------------------

REACT_NATIVE_MD = """# Elif Yılmaz
**Senior React Native Engineer** · Istanbul, Türkiye
elif.yilmaz@example.com.tr · +90 532 123 45 67 · [github.com/elifyilmaz](https://github.com/elifyilmaz) · [elifyilmaz.dev](https://elifyilmaz.dev)

## About
React Native engineer (RN since 0.44) shipping one TypeScript codebase to iOS and Android for quick-commerce
and e-commerce apps with millions of weekly users. I drop into native code when it earns its keep.

## Experience

### Getir — Senior React Native Engineer
`10/2021 – present` · Istanbul
- Own the courier app used by 30,000 couriers in four countries.
- Switched the JS engine to Hermes and moved long lists to FlashList; Android time-to-interactive down 1.2 s.
- Offline-first order state with Redux Toolkit and RTK Query.
- Live tracking with react-native-maps and a background-location native module I wrote in Kotlin. The iOS
  counterpart is written and owned by the iOS chapter in Swift.
- End-to-end tests in Detox and Maestro; OTA updates through Expo EAS Update.
- Crash and performance monitoring in Sentry, with release-health gates in GitHub Actions and Fastlane.
- The release checklist I wrote is still the backbone of our weekly store submissions.

### Hepsiburada — Mobile Developer
`01/2019 – 09/2021` · Istanbul
- Moved the seller app from Ionic/Angular to React Native, screen by screen.
- Server state in React Query, styling with styled-components, navigation with React Navigation.
- Unit and component tests with Jest and React Native Testing Library.
- Push notifications over Firebase Cloud Messaging; hotfixes through CodePush.

### Insider — Frontend Developer
`07/2017 – 12/2018` · Istanbul
- Web SDK for on-site messages in vanilla JavaScript, bundled with webpack; removed the last of the jQuery.

## Education
**BSc Computer Engineering**, Boğaziçi University, 2017

## Skills
- **Mobile:** RN (bare & Expo), TypeScript, Hermes, Reanimated 3, FlashList
- **State & data:** Redux Toolkit, RTK Query, React Query, GraphQL (Apollo Client)
- **Native:** Kotlin for Android modules; Xcode and CocoaPods for build settings only
- **Tools:** Jest, RNTL, Detox, Maestro, Sentry
- **Delivery:** Fastlane, GH Actions, EAS Build, CodePush

## Languages
Turkish (native), English (fluent), German (A2)
"""
REACT_NATIVE_TRUTH = {
    "name": "Elif Yılmaz",
    "email": "elif.yilmaz@example.com.tr",
    "phone": "+905321234567",
    "links": ["https://github.com/elifyilmaz", "https://elifyilmaz.dev"],
    "skills": [
        "React Native", "TypeScript", "iOS", "Android", "Hermes", "FlashList", "Redux", "RTK Query",
        "react-native-maps", "Kotlin", "Native Modules", "End-to-End Testing", "Detox", "Maestro", "Expo",
        "Expo Application Services", "Over-the-Air Updates", "Sentry", "GitHub Actions", "Fastlane", "Ionic",
        "Angular", "React Query", "styled-components", "React Navigation", "Unit Testing", "Jest",
        "React Native Testing Library", "Push Notifications", "Firebase Cloud Messaging", "CodePush",
        "JavaScript", "Webpack", "jQuery", "Mobile Development", "React Native Reanimated", "GraphQL",
        "Apollo Client", "Xcode", "CocoaPods",
    ],
    "experience": [
        {"title": "Senior React Native Engineer", "company": "Getir", "start": "2021-10", "end": "present"},
        {"title": "Mobile Developer", "company": "Hepsiburada", "start": "2019-01", "end": "2021-09"},
        {"title": "Frontend Developer", "company": "Insider", "start": "2017-07", "end": "2018-12"},
    ],
    "education": [
        {"degree": "BSc Computer Engineering", "institution": "Boğaziçi University", "year": 2017},
    ],
    "total_years": 9.42,  # Jul 2017 .. Nov 2026: 113 months
    "primary_field": "mobile",
    "extraction_method": "text",
    "field": "React Native engineer",
    "format": "markdown",
}  # fmt: skip


# --- 10. data platform engineer (Kafka, Flink, Iceberg), text file with pipes ------------------------------

DATA_PLATFORM_TXT = """Dimitris Papadopoulos | Senior Data Platform Engineer
Amsterdam, NL | +31 6 4567 8912 | dimitris.papadopoulos@example.gr | github.com/dpapadop

ABOUT
Platform engineer for streaming and lakehouse data. Eleven years building the plumbing that other teams
treat as a product: topics, tables and schemas they can provision themselves.

SKILLS
| Streaming      | Kafka 3.x, Kafka Connect, Debezium, Flink (DataStream API + Flink SQL), Kafka Streams (some) |
| Lakehouse      | Apache Iceberg, Trino, Spark 3.5, Project Nessie, Parquet                                    |
| Storage        | PG, ClickHouse, Cassandra, MinIO                                                             |
| Schemas        | Avro, Protobuf, Confluent Schema Registry                                                    |
| Platform & ops | k8s, Strimzi, Terraform, Helm, Prometheus, Grafana, Airflow, Backstage                       |
| Languages      | Java 17, Scala 2.13, Python, SQL                                                             |

EXPERIENCE
Senior Data Platform Engineer | Adyen | Amsterdam | 11/2021 - now
| Run the streaming platform: 9 Kafka clusters on Kubernetes through Strimzi, 2.5M messages/s at peak.
| Change data capture from 140 PostgreSQL databases with Debezium and Kafka Connect into Iceberg tables.
| Flink jobs in Java and Flink SQL compute real-time merchant risk features with exactly-once checkpoints.
| Trino is the query layer over Iceberg; Nessie gives us branch-and-merge on tables.
| Table maintenance (compaction, snapshot expiry) runs as Airflow DAGs; Spark for backfills.
| Self-service topic and schema provisioning through our own Terraform provider and a Backstage plugin.
| The risk data-science team trains its fraud models in R and H2O on these features; I don't maintain them.

Data Engineer | Skroutz | Athens | 05/2018 - 10/2021
| Clickstream pipeline: Kafka -> Spark Structured Streaming -> Parquet on HDFS, with Hive tables on top.
| ClickHouse for real-time merchant dashboards, fed straight from Kafka.
| Scala for the Spark jobs, Python for the Airflow DAGs.

Software Engineer | Intracom Telecom | Athens | 09/2015 - 04/2018
| Java 8 services for network telemetry on ActiveMQ, with Cassandra as the time-series store.

EDUCATION
Diploma in Electrical and Computer Engineering (5-year MEng) | National Technical University of Athens | 2015

LANGUAGES
Greek (native) | English (C2) | Dutch (A2)

INTERESTS
Half-marathons | a wine course, so I can finally tell a pinot noir from a merlot
"""
DATA_PLATFORM_TRUTH = {
    "name": "Dimitris Papadopoulos",
    "email": "dimitris.papadopoulos@example.gr",
    "phone": "+31645678912",
    "links": ["https://github.com/dpapadop"],
    "skills": [
        "Platform Engineering", "Stream Processing", "Data Lakehouse", "Apache Kafka", "Kafka Connect",
        "Debezium", "Apache Flink", "Kafka Streams", "Apache Iceberg", "Trino", "Apache Spark", "Project Nessie",
        "Apache Parquet", "PostgreSQL", "ClickHouse", "Apache Cassandra", "MinIO", "Apache Avro",
        "Protocol Buffers", "Confluent Schema Registry", "Kubernetes", "Strimzi", "Terraform", "Helm",
        "Prometheus", "Grafana", "Apache Airflow", "Backstage", "Java", "Scala", "Python", "SQL",
        "Change Data Capture", "HDFS", "Apache Hive", "Apache ActiveMQ",
    ],
    "experience": [
        {"title": "Senior Data Platform Engineer", "company": "Adyen", "start": "2021-11", "end": "present"},
        {"title": "Data Engineer", "company": "Skroutz", "start": "2018-05", "end": "2021-10"},
        {"title": "Software Engineer", "company": "Intracom Telecom", "start": "2015-09", "end": "2018-04"},
    ],
    "education": [
        {"degree": "Diploma in Electrical and Computer Engineering",
         "institution": "National Technical University of Athens", "year": 2015},
    ],
    "total_years": 11.25,  # Sep 2015 .. Nov 2026: 135 months
    "primary_field": "data",
    "extraction_method": "text",
    "field": "data platform engineer (Kafka, Flink, Iceberg)",
    "format": "txt",
}  # fmt: skip


# --- 11. cybersecurity analyst (SOC, SIEM), scanned PDF ----------------------------------------------------

SOC_LINES = [
    ("name", "Yasmine El Idrissi"),
    ("subtitle", "Cybersecurity Analyst — SOC / SIEM"),
    ("text", "yasmine.elidrissi@example.ma | +212 661 234 567 | Casablanca"),
    ("gap", ""),
    ("heading", "PROFILE"),
    ("text", "SOC analyst with seven years of alert triage, threat hunting and"),
    ("text", "incident response for banks and telecom operators."),
    ("gap", ""),
    ("heading", "EXPERIENCE"),
    ("job", "Orange Cyberdefense — Senior SOC Analyst (L2)|Feb 2022 - Present"),
    ("text", "- Threat hunting in Splunk ES and Microsoft Sentinel (KQL) for 30 clients."),
    ("text", "- Detections mapped to MITRE ATT&CK; Sigma rules shared across SIEMs."),
    ("text", "- Endpoint investigations in CrowdStrike Falcon."),
    ("text", "- Cases and playbooks in TheHive; IOC sharing through MISP."),
    ("text", "- One client's plant ran Siemens SCADA; we only received its firewall logs."),
    ("job", "Attijariwafa bank — SOC Analyst (L1)|Sep 2019 - Jan 2022"),
    ("text", "- Alert triage on IBM QRadar and phishing analysis of reported emails."),
    ("text", "- Wireshark captures for investigations; Suricata rule tuning."),
    ("text", "- Python scripts to enrich and deduplicate alerts."),
    ("gap", ""),
    ("heading", "EDUCATION"),
    ("text", "Master in Cybersecurity, ENSIAS, Rabat, 2019"),
    ("gap", ""),
    ("heading", "CERTIFICATIONS"),
    ("text", "CompTIA Security+, CompTIA CySA+, Splunk Core Certified Power User"),
    ("gap", ""),
    ("heading", "SKILLS"),
    ("text", "SIEM (Splunk ES, Sentinel, QRadar), KQL, SPL, Sigma,"),
    ("text", "MITRE ATT&CK, threat hunting, incident response, Python"),
    ("gap", ""),
    ("heading", "LANGUAGES"),
    ("text", "Arabic (native), French (fluent), English (professional)"),
]
SOC_TRUTH = {
    "name": "Yasmine El Idrissi",
    "email": "yasmine.elidrissi@example.ma",
    "phone": "+212661234567",
    "links": [],
    "skills": [
        "Security Operations", "Alert Triage", "Threat Hunting", "Incident Response", "Splunk",
        "Splunk Enterprise Security", "Microsoft Sentinel", "KQL", "MITRE ATT&CK", "Sigma", "SIEM",
        "CrowdStrike Falcon", "TheHive", "MISP", "IBM QRadar", "Phishing Analysis", "Wireshark", "Suricata",
        "Python", "SPL",
    ],
    "experience": [
        {"title": "Senior SOC Analyst (L2)", "company": "Orange Cyberdefense", "start": "2022-02",
         "end": "present"},
        {"title": "SOC Analyst (L1)", "company": "Attijariwafa bank", "start": "2019-09", "end": "2022-01"},
    ],
    "education": [{"degree": "Master in Cybersecurity", "institution": "ENSIAS", "year": 2019}],
    "total_years": 7.25,  # Sep 2019 .. Nov 2026: 87 months
    # No security category: SOC monitoring and alerting is closest to operations (devops).
    "primary_field": "devops",
    "extraction_method": "ocr",
    "field": "cybersecurity analyst (SOC, SIEM)",
    "format": "scanned pdf",
}  # fmt: skip


# --- 12. robotics / embedded engineer (ROS, C++), scanned PDF ----------------------------------------------

ROBOTICS_LINES = [
    ("name", "Lena Baumgartner"),
    ("subtitle", "Robotics Software Engineer"),
    ("text", "lena.baumgartner@example.ch | +41 79 123 45 67 | Zurich"),
    ("gap", ""),
    ("heading", "PROFILE"),
    ("text", "Robotics engineer: C++ on the robot, Python on the bench. Eight years"),
    ("text", "from motor firmware to autonomous navigation."),
    ("gap", ""),
    ("heading", "EXPERIENCE"),
    ("job", "ANYbotics — Robotics Software Engineer|Jan 2022 - Present"),
    ("text", "- Navigation for legged inspection robots in C++17 on ROS 2 and Nav2."),
    ("text", "- SLAM and sensor fusion from lidar, IMU and leg odometry."),
    ("text", "- Simulation in Gazebo; point cloud processing with PCL."),
    ("text", "- Ported our drivers from ROS 1 to ROS 2."),
    ("text", "- The perception team's PyTorch models are theirs; I only use their"),
    ("text", "  detections over a ROS topic."),
    ("job", "ABB Robotics — Embedded Software Engineer|Aug 2018 - Dec 2021"),
    ("text", "- Motion control firmware in C on ARM Cortex-M7; EtherCAT and CAN."),
    ("text", "- Embedded Linux images with Yocto; Python test rigs."),
    ("gap", ""),
    ("heading", "EDUCATION"),
    ("text", "MSc Robotics, Systems and Control, ETH Zurich, 2018"),
    ("gap", ""),
    ("heading", "SKILLS"),
    ("text", "C++, C, Python, ROS 2, Nav2, MoveIt, Gazebo, PCL, OpenCV,"),
    ("text", "Yocto, EtherCAT, CAN"),
    ("gap", ""),
    ("heading", "LANGUAGES"),
    ("text", "German (native), English (C2), French (B2)"),
]
ROBOTICS_TRUTH = {
    "name": "Lena Baumgartner",
    "email": "lena.baumgartner@example.ch",
    "phone": "+41791234567",
    "links": [],
    "skills": [
        "Robotics", "C++", "Python", "Firmware Development", "Autonomous Navigation", "ROS", "Nav2", "SLAM",
        "Sensor Fusion", "Gazebo", "Point Cloud Library", "Motion Control", "C", "ARM Cortex-M", "EtherCAT",
        "CAN Bus", "Embedded Linux", "Yocto", "MoveIt", "OpenCV",
    ],
    "experience": [
        {"title": "Robotics Software Engineer", "company": "ANYbotics", "start": "2022-01", "end": "present"},
        {"title": "Embedded Software Engineer", "company": "ABB Robotics", "start": "2018-08", "end": "2021-12"},
    ],
    "education": [
        {"degree": "MSc Robotics, Systems and Control", "institution": "ETH Zurich", "year": 2018},
    ],
    "total_years": 8.33,  # Aug 2018 .. Nov 2026: 100 months
    # No robotics or embedded category: backend is the nearest general software bucket, as in the first set.
    "primary_field": "backend",
    "extraction_method": "ocr",
    "field": "robotics / embedded engineer (ROS, C++)",
    "format": "scanned pdf",
}  # fmt: skip


# --- output -----------------------------------------------------------------------------------------------

BUILDERS: dict[str, tuple[Callable[[], bytes], dict[str, Any]]] = {
    "backend_java_logistics.pdf": (lambda: render_one_column(LOGISTICS), LOGISTICS_TRUTH),
    "android_engineer.pdf": (lambda: render_two_column(ANDROID_SIDEBAR, ANDROID_MAIN), ANDROID_TRUTH),
    "nlp_llm_engineer.pdf": (lambda: render_one_column(NLP), NLP_TRUTH),
    "aws_solutions_architect.pdf": (lambda: render_one_column(AWS_ARCHITECT), AWS_ARCHITECT_TRUTH),
    "analytics_engineer.docx": (
        lambda: render_docx_skill_table(
            ANALYTICS, ANALYTICS_SKILLS, ANALYTICS_AFTER, header=("Category", "Tools (level)")
        ),
        ANALYTICS_TRUTH,
    ),
    "director_engineering.docx": (lambda: render_paragraph_docx(DIRECTOR), DIRECTOR_TRUTH),
    "salesforce_developer.docx": (
        lambda: render_docx_header_grid(
            SALESFORCE_HEADER_LEFT,
            SALESFORCE_HEADER_RIGHT,
            SALESFORCE_BODY,
            SALESFORCE_GRID,
            SALESFORCE_AFTER,
            cols=3,
        ),
        SALESFORCE_TRUTH,
    ),
    "sre_gcp.txt": (lambda: SRE_GCP_TXT.encode("utf-8"), SRE_GCP_TRUTH),
    "react_native_engineer.txt": (lambda: REACT_NATIVE_MD.encode("utf-8"), REACT_NATIVE_TRUTH),
    "data_platform_engineer.txt": (lambda: DATA_PLATFORM_TXT.encode("utf-8"), DATA_PLATFORM_TRUTH),
    "soc_analyst_scanned.pdf": (lambda: render_scanned(SOC_LINES), SOC_TRUTH),
    "robotics_engineer_scanned.pdf": (lambda: render_scanned(ROBOTICS_LINES, serif=True), ROBOTICS_TRUTH),
}


def check_fresh(filename: str, truth: dict[str, Any]) -> None:
    """The first set's checks, plus the skill-count bounds and the keys this set promises."""
    check(filename, truth)
    low, high = (10, 20) if truth["extraction_method"] == "ocr" else (15, 40)
    assert low <= len(truth["skills"]) <= high, f"{filename}: {len(truth['skills'])} skills"
    assert truth["field"] and truth["format"], filename
    for link in truth["links"]:
        assert link.startswith("https://"), f"{filename}: {link}"


def main() -> None:
    write_set(FRESH, BUILDERS, check_fresh)


if __name__ == "__main__":
    main()
