import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { SkillEvidenceList } from "../components/CvReview";
import { RadarChart, radarPoints } from "../components/RadarChart";
import { ReportView } from "../pages/ReportPage";
import { StartPage, checkCvFile } from "../pages/StartPage";
import { LANGUAGES, qualityLines, starterCode } from "../lib/code";
import { formatClock, metricsSummary, percentileOf } from "../lib/format";
import { matchRoute } from "../lib/router";
import type { PerformanceReport, Problem, QualityMetrics } from "../lib/types";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

const report: PerformanceReport = {
  sessionId: "s1",
  interviewType: "Behavioral",
  candidateName: "Ada",
  generatedAt: "2026-11-29T10:00:00Z",
  overallScore: 6.4,
  scores: { technicalKnowledge: 7, problemSolving: 6.5, communication: 6, codeQuality: null, culturalFit: 5 },
  competencies: {
    technicalKnowledge: { score: 7, weight: 0.3, appliedWeight: 0.35, reason: "Covered 4 of 6 key points.", evidence: [{ turn_id: "t1", quote: "I used consistent hashing" }] },
    problemSolving: { score: 6.5, weight: 0.25, appliedWeight: 0.29, reason: "", evidence: [] },
    communication: { score: 6, weight: 0.2, appliedWeight: 0.24, reason: "", evidence: [] },
    codeQuality: { score: null, weight: 0.15, appliedWeight: 0, reason: "No code was written in this interview.", evidence: [] },
    culturalFit: { score: 5, weight: 0.1, appliedWeight: 0.12, reason: "", evidence: [] },
  },
  evidence: { technicalKnowledge: [], problemSolving: [], communication: [], codeQuality: [], culturalFit: [] },
  strengths: ["Named the trade-off of eventual consistency"],
  improvements: ["Quantify the result of the migration"],
  recommendation: "LEAN_HIRE",
  summary: "A solid, specific interview.",
  questions: [{ question: "Tell me about a conflict.", turnId: "q1", answerTurnIds: ["t1"], score: 6, feedback: "Clear situation, weak result.", covered: ["situation"], missed: ["result"], star: { situation: true, task: true, action: true, result: false } }],
  delivery: null,
  judge: { kind: "rubric", model: null, version: "1" },
};

describe("RadarChart", () => {
  it("labels every competency and shows a missing score as not assessed", () => {
    render(<RadarChart points={radarPoints(report.scores)} />);
    const chart = screen.getByTestId("radar-chart");
    expect(chart.getAttribute("aria-label")).toContain("Code quality: not assessed");
    expect(within(chart as unknown as HTMLElement).getByText("not assessed")).toBeTruthy();
    expect(chart.querySelectorAll("circle")).toHaveLength(4);
    expect(chart.querySelector(".radar-area")).not.toBeNull();
  });
});

describe("ReportView", () => {
  it("shows the score, the recommendation, the reason of a null score and the PDF link", () => {
    render(<ReportView report={report} sessionId="s1" submissions={[]} />);
    expect(screen.getByTestId("report-overall-score").textContent).toBe("6.4");
    expect(screen.getByTestId("report-recommendation").textContent).toBe("Lean hire");
    expect(screen.getByText("No code was written in this interview.")).toBeTruthy();
    expect(screen.getByText("“I used consistent hashing”")).toBeTruthy();
    expect(screen.getByTestId("report-pdf").getAttribute("href")).toBe("/api/interviews/s1/performance-report?format=pdf");
    expect(screen.getByText(/No spoken answers/)).toBeTruthy();
    expect(screen.getByText("No code was run in this interview.")).toBeTruthy();
  });
});

describe("StartPage", () => {
  it("shows the interview types as cards and refuses to start without a name", async () => {
    const fetchMock = vi.fn(async () =>
      new Response(JSON.stringify({ interview_types: [{ id: "behavioral", name: "Behavioral", description: "Stories about your work", duration_minutes: 30 }] }), { status: 200 }),
    );
    vi.stubGlobal("fetch", fetchMock);
    render(<StartPage />);
    const card = await screen.findByTestId("interview-type-behavioral");
    expect(card.textContent).toContain("Stories about your work");
    fireEvent.click(card);
    expect(card.getAttribute("aria-checked")).toBe("true");
    fireEvent.click(screen.getByTestId("start-interview"));
    expect((await screen.findByRole("alert")).textContent).toContain("Enter your name");
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("says so when the types cannot be loaded", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ error: { code: "internal_error", message: "Internal server error." } }), { status: 500 })));
    render(<StartPage />);
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("Internal server error."));
  });

  it("checks a CV's type and size before sending it", () => {
    expect(checkCvFile(new File(["x"], "cv.pdf"))).toBeNull();
    expect(checkCvFile(new File(["x"], "cv.png"))).toContain("PDF, DOCX or TXT");
    expect(checkCvFile(new File([], "cv.txt"))).toContain("empty");
  });
});

const problem = {
  id: "two-sum",
  title: "Two Sum",
  python: { function_name: "two_sum", signature: "", starter_code: "def two_sum(nums, target):\n    pass\n" },
  javascript: { function_name: "twoSum", signature: "", starter_code: "function twoSum(nums, target) {\n}\n" },
  stdio: { input_format: "n, then n numbers, then target", output_format: "two indices" },
} as unknown as Problem;

describe("coding helpers", () => {
  it("uses the signature templates, and stdin programs for Java and C++", () => {
    expect(starterCode(problem, "python")).toContain("def two_sum");
    expect(starterCode(problem, "javascript")).toContain("function twoSum");
    expect(starterCode(problem, "java")).toContain("public class Main");
    expect(starterCode(problem, "java")).toContain("// n, then n numbers, then target");
    expect(starterCode(problem, "cpp")).toContain("int main()");
    expect(starterCode({ ...problem, templates: { python: "# from the event" } }, "python")).toBe("# from the event");
    expect(LANGUAGES.map((l) => l.label)).toEqual(["Python", "JavaScript", "Java", "C++"]);
  });

  it("explains each quality metric", () => {
    const q: QualityMetrics = { language: "python", lines_of_code: 12, comment_lines: 2, blank_lines: 1, comment_ratio: 0.15, functions: [], average_complexity: 3, max_complexity: 4, quality_score: 8.5, deductions: [], maintainability_index: 71.2, parse_error: null };
    const lines = qualityLines(q);
    expect(lines.map((l) => l.label)).toContain("Maintainability index");
    expect(lines.find((l) => l.label === "Quality score")?.value).toBe("8.5 / 10");
    expect(lines.every((l) => l.help.length > 10)).toBe(true);
  });
});

describe("formatting and routing", () => {
  it("formats the clock, the metrics line and the percentile", () => {
    expect(formatClock(0)).toBe("0:00");
    expect(formatClock(75)).toBe("1:15");
    expect(formatClock(3725)).toBe("1:02:05");
    expect(metricsSummary({ speech_end_to_first_audio: 1234 })).toBe("Last reply: first audio 1.2 s after you stopped");
    expect(percentileOf(5, { min: 1, p25: 3, p50: 5, p75: 7, p90: 8, max: 9 })).toBe(50);
    expect(percentileOf(6, { min: 1, p25: 3, p50: 5, p75: 7, p90: 8, max: 9 })).toBe(63);
    expect(percentileOf(9.5, { min: 1, max: 9 })).toBe(100);
    expect(percentileOf(5, { p50: null })).toBeNull();
    expect(percentileOf(4, { min: 4, p25: 4, p50: 4, p75: 4, p90: 4, max: 4 })).toBe(57);
  });

  it("matches the client routes", () => {
    expect(matchRoute("/")).toEqual({ page: "start" });
    expect(matchRoute("/interview/abc")).toEqual({ page: "interview", sessionId: "abc" });
    expect(matchRoute("/report/abc/")).toEqual({ page: "report", sessionId: "abc" });
    expect(matchRoute("/history")).toEqual({ page: "history" });
    expect(matchRoute("/nope/x/y").page).toBe("not_found");
  });
});

describe("SkillEvidenceList", () => {
  it("names each skill with how it was read and where", () => {
    render(
      <SkillEvidenceList
        details={[
          { name: "Kubernetes", category: "devops", source: "alias", known: true, mentions: 2, evidence: [{ section: "skills", line: 12, text: "k8s, Zorblax", written: "k8s", source: "alias" }] },
          { name: "Zorblax", category: "other", source: "list_item", known: false, mentions: 1, evidence: [{ section: "skills", line: 12, text: "k8s, Zorblax", written: "Zorblax", source: "list_item" }] },
        ]}
      />,
    );
    const [kubernetes, zorblax, ...rest] = screen.getAllByTestId("cv-evidence-item").map((item) => item.textContent ?? "");
    expect(rest).toEqual([]);
    expect(kubernetes).toContain("known skill, other spelling");
    expect(kubernetes).toContain("skills, line 12: “k8s, Zorblax”");
    expect(zorblax).toContain("from your list, as written");
  });
});
