"""The catalogue of interview types: what the gateway lists and the agent conducts."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Phase = Literal[
    "introduction", "background", "technical", "coding", "scenario", "candidate_questions", "wrap_up"
]


class InterviewType(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    description: str
    company: str | None
    role: str
    focus: list[str]
    competencies: list[str]
    # The plan the interviewer follows; the core phase is `coding` or `scenario` where the type has one.
    phases: list[Phase]
    duration_minutes: int
    aliases: list[str] = []
    # Names a candidate is likely to say that a generic speech model gets wrong (the STT's hotwords).
    vocabulary: list[str] = []


_BASE = ["introduction", "background", "technical"]
_END = ["candidate_questions", "wrap_up"]

INTERVIEW_TYPES: list[InterviewType] = [
    InterviewType(
        id="google_sde",
        name="Google SDE",
        description="Software engineer loop in Google's style: algorithms, data structures, "
        "complexity analysis and Googleyness.",
        company="Google",
        role="Software Development Engineer",
        focus=["algorithms", "data structures", "complexity", "system design basics"],
        competencies=[
            "technical_knowledge",
            "problem_solving",
            "communication",
            "code_quality",
            "culture_fit",
        ],
        phases=[*_BASE, "coding", *_END],  # type: ignore[list-item]
        duration_minutes=45,
        aliases=["google", "google software engineer"],
        vocabulary=[
            "Python",
            "C++",
            "Java",
            "hash map",
            "BFS",
            "DFS",
            "O(n log n)",
            "heap",
            "trie",
            "Dijkstra",
            "LRU cache",
            "Bigtable",
            "Spanner",
            "MapReduce",
            "Protobuf",
            "Kubernetes",
            "Docker",
            "PostgreSQL",
            "Kafka",
            "Redis",
            "gRPC",
            "GraphQL",
            "REST",
            "CI/CD",
            "microservices",
            "Terraform",
        ],
    ),
    InterviewType(
        id="amazon_sde",
        name="Amazon SDE",
        description="Amazon software engineer interview: coding plus the Leadership Principles "
        "with STAR-structured stories.",
        company="Amazon",
        role="Software Development Engineer",
        focus=["coding", "leadership principles", "scalability", "ownership"],
        competencies=[
            "technical_knowledge",
            "problem_solving",
            "communication",
            "code_quality",
            "culture_fit",
        ],
        phases=[*_BASE, "coding", *_END],  # type: ignore[list-item]
        duration_minutes=45,
        aliases=["amazon", "amazon software engineer"],
        vocabulary=[
            "DynamoDB",
            "S3",
            "SQS",
            "Lambda",
            "EC2",
            "Leadership Principles",
            "Customer Obsession",
            "Bias for Action",
            "Dive Deep",
            "STAR",
            "hash map",
            "O(n log n)",
            "Kubernetes",
            "Docker",
            "PostgreSQL",
            "Kafka",
            "Redis",
            "gRPC",
            "GraphQL",
            "REST",
            "CI/CD",
            "microservices",
            "Terraform",
        ],
    ),
    InterviewType(
        id="microsoft_sde",
        name="Microsoft SDE",
        description="Microsoft software engineer interview: problem solving, clean code, "
        "testing and collaboration (growth mindset).",
        company="Microsoft",
        role="Software Development Engineer",
        focus=["problem solving", "object-oriented design", "testing", "collaboration"],
        competencies=[
            "technical_knowledge",
            "problem_solving",
            "communication",
            "code_quality",
            "culture_fit",
        ],
        phases=[*_BASE, "coding", *_END],  # type: ignore[list-item]
        duration_minutes=45,
        aliases=["microsoft", "microsoft software engineer"],
        vocabulary=[
            "Azure",
            "C#",
            ".NET",
            "TypeScript",
            "unit tests",
            "SOLID",
            "dependency injection",
            "hash map",
            "O(n log n)",
            "Cosmos DB",
            "Kubernetes",
            "Docker",
            "PostgreSQL",
            "Kafka",
            "Redis",
            "gRPC",
            "GraphQL",
            "REST",
            "CI/CD",
            "microservices",
            "Terraform",
        ],
    ),
    InterviewType(
        id="aws_sa",
        name="AWS Solutions Architect",
        description="AWS solutions architect interview: the Well-Architected pillars, "
        "designing for scale, cost and resilience on AWS services.",
        company="Amazon Web Services",
        role="Solutions Architect",
        focus=["well-architected framework", "networking", "storage", "security", "cost optimisation"],
        competencies=["technical_knowledge", "problem_solving", "communication", "culture_fit"],
        phases=[*_BASE, "scenario", *_END],  # type: ignore[list-item]
        duration_minutes=45,
        aliases=["aws sa", "aws solutions architect", "aws"],
        vocabulary=[
            "DynamoDB",
            "CloudFront",
            "S3",
            "EC2",
            "VPC",
            "IAM",
            "Lambda",
            "API Gateway",
            "Aurora",
            "RDS",
            "ElastiCache",
            "SQS",
            "SNS",
            "Kinesis",
            "EKS",
            "ECS",
            "Route 53",
            "CloudWatch",
            "KMS",
            "Well-Architected",
            "Kubernetes",
            "Docker",
            "PostgreSQL",
            "Kafka",
            "Redis",
            "gRPC",
            "GraphQL",
            "REST",
            "CI/CD",
            "microservices",
            "Terraform",
        ],
    ),
    InterviewType(
        id="azure_sa",
        name="Azure Solutions Architect",
        description="Azure solutions architect interview: identity, networking, compute and "
        "data services, governance and hybrid designs on Azure.",
        company="Microsoft Azure",
        role="Solutions Architect",
        focus=["identity", "networking", "governance", "hybrid cloud", "data platform"],
        competencies=["technical_knowledge", "problem_solving", "communication", "culture_fit"],
        phases=[*_BASE, "scenario", *_END],  # type: ignore[list-item]
        duration_minutes=45,
        aliases=["azure sa", "azure solutions architect", "azure"],
        vocabulary=[
            "Entra ID",
            "Azure AD",
            "AKS",
            "Cosmos DB",
            "Blob Storage",
            "Azure Functions",
            "App Service",
            "VNet",
            "ExpressRoute",
            "Front Door",
            "Key Vault",
            "Service Bus",
            "Event Hubs",
            "Synapse",
            "Azure Policy",
            "Kubernetes",
            "Docker",
            "PostgreSQL",
            "Kafka",
            "Redis",
            "gRPC",
            "GraphQL",
            "REST",
            "CI/CD",
            "microservices",
            "Terraform",
        ],
    ),
    InterviewType(
        id="gcp_sa",
        name="GCP Solutions Architect",
        description="Google Cloud architect interview: GKE, BigQuery, networking, IAM and "
        "designing reliable, cost-aware systems on Google Cloud.",
        company="Google Cloud",
        role="Solutions Architect",
        focus=["kubernetes", "data analytics", "networking", "iam", "reliability"],
        competencies=["technical_knowledge", "problem_solving", "communication", "culture_fit"],
        phases=[*_BASE, "scenario", *_END],  # type: ignore[list-item]
        duration_minutes=45,
        aliases=["gcp sa", "gcp solutions architect", "gcp", "google cloud architect"],
        vocabulary=[
            "GKE",
            "BigQuery",
            "Cloud Run",
            "Pub/Sub",
            "Spanner",
            "Bigtable",
            "Cloud Storage",
            "Dataflow",
            "Cloud SQL",
            "IAM",
            "VPC",
            "Anthos",
            "Cloud Functions",
            "Memorystore",
            "Kubernetes",
            "Docker",
            "PostgreSQL",
            "Kafka",
            "Redis",
            "gRPC",
            "GraphQL",
            "REST",
            "CI/CD",
            "microservices",
            "Terraform",
        ],
    ),
    InterviewType(
        id="behavioral",
        name="Behavioral",
        description="Behavioral interview: teamwork, conflict, leadership and failure stories, "
        "coached towards the STAR structure.",
        company=None,
        role="Any role",
        focus=["teamwork", "conflict resolution", "leadership", "growth", "STAR stories"],
        competencies=["communication", "culture_fit", "problem_solving"],
        phases=[*_BASE, "scenario", *_END],  # type: ignore[list-item]
        duration_minutes=30,
        aliases=["behavioural"],
        vocabulary=[
            "STAR",
            "stakeholders",
            "retrospective",
            "roadmap",
            "OKRs",
            "on-call",
            "postmortem",
            "Kubernetes",
            "Docker",
            "PostgreSQL",
            "Kafka",
            "Redis",
            "gRPC",
            "GraphQL",
            "REST",
            "CI/CD",
            "microservices",
            "Terraform",
        ],
    ),
    InterviewType(
        id="coding",
        name="Coding",
        description="Pure coding round: one or two problems solved in the editor and run "
        "against tests, thinking aloud about complexity.",
        company=None,
        role="Software Engineer",
        focus=["algorithms", "data structures", "testing", "complexity"],
        competencies=["technical_knowledge", "problem_solving", "communication", "code_quality"],
        phases=["introduction", "technical", "coding", *_END],  # type: ignore[list-item]
        duration_minutes=45,
        aliases=["coding interview", "leetcode"],
        vocabulary=[
            "O(n)",
            "O(n log n)",
            "hash map",
            "binary search",
            "two pointers",
            "sliding window",
            "dynamic programming",
            "recursion",
            "BFS",
            "DFS",
            "heap",
            "linked list",
            "Kubernetes",
            "Docker",
            "PostgreSQL",
            "Kafka",
            "Redis",
            "gRPC",
            "GraphQL",
            "REST",
            "CI/CD",
            "microservices",
            "Terraform",
        ],
    ),
]

_BY_KEY: dict[str, InterviewType] = {}
for _t in INTERVIEW_TYPES:
    for _key in (_t.id, _t.name, *_t.aliases):
        _BY_KEY[_key.strip().lower().replace("-", "_")] = _t
        _BY_KEY[_key.strip().lower()] = _t


def find_interview_type(key: str) -> InterviewType | None:
    """Look a type up by id, display name or alias ("google_sde", "Google SDE", "AWS SA")."""
    return _BY_KEY.get(key.strip().lower()) or _BY_KEY.get(key.strip().lower().replace("-", "_"))
