// The REST client: every call returns the parsed body or throws an ApiError carrying the contract's
// `{"error": {"code", "message"}}` (or a plain description when the server answered something else).
import type {
  CodeLanguage,
  CodeSubmission,
  CvAnalysis,
  ExecuteResult,
  InterviewType,
  PerformanceReport,
  Problem,
  ProblemSummary,
  SessionCreated,
  SessionDetail,
  SessionSummary,
  TranscriptEntry,
} from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network_error", "The server cannot be reached. Check that PrepAI is running.");
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const err = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      response.status,
      err?.code ?? "http_error",
      err?.message ?? `The server answered ${response.status} ${response.statusText}.`.trim(),
    );
  }
  if (body === undefined) {
    throw new ApiError(response.status, "bad_response", "The server answered something that is not JSON.");
  }
  return body as T;
}

function json(method: string, payload: unknown): RequestInit {
  return { method, headers: { "content-type": "application/json" }, body: JSON.stringify(payload) };
}

export const api = {
  interviewTypes: () => request<{ interview_types: InterviewType[] }>("/api/interview-types"),
  createSession: (body: { interview_type: string; candidate_name: string; job_description?: string }) =>
    request<SessionCreated>("/api/sessions", json("POST", body)),
  listSessions: () => request<{ sessions: SessionSummary[] }>("/api/sessions/list"),
  session: (id: string) => request<SessionDetail>(`/api/sessions/${encodeURIComponent(id)}`),
  transcript: (id: string) =>
    request<{ session_id: string; status: string; transcript: TranscriptEntry[] }>(
      `/api/interviews/${encodeURIComponent(id)}/transcript`,
    ),
  uploadCv: (id: string, file: File) => {
    const form = new FormData();
    form.append("file", file);
    return request<{ success: boolean; analysis: CvAnalysis; filename: string; message: string }>(
      `/api/interviews/${encodeURIComponent(id)}/upload-cv`,
      { method: "POST", body: form },
    );
  },
  saveCvAnalysis: (id: string, analysis: CvAnalysis) =>
    request<{ success: boolean; analysis: CvAnalysis; filename: string | null }>(
      `/api/interviews/${encodeURIComponent(id)}/cv-analysis`,
      json("PUT", analysis),
    ),
  end: (id: string) =>
    request<{ session_id: string; status: string; report_url: string }>(
      `/api/interviews/${encodeURIComponent(id)}/end`,
      { method: "POST" },
    ),
  report: (id: string) =>
    request<{ success: boolean; report: PerformanceReport; report_url: string }>(
      `/api/interviews/${encodeURIComponent(id)}/performance-report`,
    ),
  reportPdfUrl: (id: string) => `/api/interviews/${encodeURIComponent(id)}/performance-report?format=pdf`,
  problems: () => request<{ problems: ProblemSummary[] }>("/api/problems"),
  problem: (id: string) => request<{ problem: Problem }>(`/api/problems/${encodeURIComponent(id)}`),
  execute: (body: { sessionId: string; code: string; language: CodeLanguage; problemId: string }) =>
    request<ExecuteResult>("/api/code/execute", json("POST", body)),
  submissions: (sid: string) =>
    request<{ submissions: CodeSubmission[]; summary: Record<string, unknown> }>(
      `/api/code/${encodeURIComponent(sid)}/submissions`,
    ),
  trends: (days = 30) =>
    request<{ trend: string; change: number | null; data: Record<string, unknown>[] }>(
      `/api/analytics/trends?days=${days}`,
    ),
  candidateHistory: (name: string) =>
    request<Record<string, unknown>>(`/api/analytics/candidate/${encodeURIComponent(name)}/history`),
  benchmarks: (type: string) =>
    request<{ benchmarks: Record<string, Record<string, number | null>> } & Record<string, unknown>>(
      `/api/analytics/benchmarks/${encodeURIComponent(type)}`,
    ),
};

export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
