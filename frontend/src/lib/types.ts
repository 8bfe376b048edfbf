// The shapes of the gateway's REST bodies (see /openapi.json) that the web app reads.

export interface InterviewType {
  id: string;
  name: string;
  description: string;
  [key: string]: unknown;
}

export interface SessionCreated {
  session_id: string;
  created_at: string;
  interview_type: string;
  interview_type_name: string;
  candidate_name: string;
  status: string;
  websocket_url: string;
}

export interface SessionSummary {
  session_id: string;
  created_at: string;
  updated_at: string;
  interview_type: string;
  interview_type_name: string;
  candidate_name: string;
  status: string;
  ended_at: string | null;
  duration_seconds: number | null;
  turns: number;
  has_cv: boolean;
}

export interface TranscriptEntry {
  role: "assistant" | "user";
  text: string;
  timestamp: string;
  turn_id: string;
  interrupted?: boolean;
  [key: string]: unknown;
}

export interface SessionDetail {
  session_id: string;
  interview_type: string;
  interview_type_name: string;
  candidate_name: string;
  status: string;
  started_at: string | null;
  created_at: string;
  ended_at: string | null;
  transcript: TranscriptEntry[];
  cv_filename: string | null;
  cv_analysis: CvAnalysis | null;
}

export interface CvExperience {
  title: string;
  company: string;
  start: string;
  end: string;
}

export interface CvEducation {
  degree: string;
  institution: string;
  year: string | number | null;
}

/** How the analyzer knows a skill: its canonical name, another known form, a list item merged with a known
 * skill of the same meaning, or a list item the taxonomy does not know, kept as written. */
export type SkillSource = "taxonomy" | "alias" | "similar" | "list_item";

export interface SkillEvidence {
  section: string;
  line: number;
  text: string;
  written: string;
  source: SkillSource;
}

export interface SkillDetail {
  name: string;
  category: string;
  source: SkillSource;
  known: boolean;
  mentions: number;
  evidence: SkillEvidence[];
}

export interface CvAnalysis {
  candidateName: string | null;
  email: string | null;
  phone: string | null;
  links: string[];
  skills: string[];
  skillDetails?: SkillDetail[];
  experience: CvExperience[];
  education: CvEducation[];
  totalYearsExperience: number | null;
  [key: string]: unknown;
}

export interface ProblemSummary {
  id: string;
  title: string;
  difficulty: "easy" | "medium" | "hard";
  tags: string[];
  function_name: string;
}

export interface FunctionSignature {
  function_name: string;
  signature: string;
  starter_code: string;
}

export interface ProblemExample {
  input: Record<string, unknown>;
  output: unknown;
  explanation?: string | null;
}

export interface Problem extends ProblemSummary {
  statement: string;
  examples: ProblemExample[];
  constraints: string[];
  target_complexity: { time: string; space: string };
  params: { name: string; type: string }[];
  returns: string;
  python: FunctionSignature;
  javascript: FunctionSignature;
  stdio: { input_format: string; output_format: string };
  hints_count: number;
  time_limit_s: number;
  hidden_test_count: number;
  templates?: Record<string, string>;
}

export type CodeLanguage = "python" | "javascript" | "java" | "cpp";

export interface TestOutcome {
  input: unknown;
  expected: unknown;
  actual: unknown;
  passed: boolean;
  error: string | null;
  time_ms?: number | null;
  hidden?: boolean;
  verdict?: string;
  verdictLabel?: string;
  [key: string]: unknown;
}

export interface QualityMetrics {
  language: CodeLanguage;
  lines_of_code: number;
  comment_lines: number;
  blank_lines: number;
  comment_ratio: number;
  functions: { name: string; complexity: number; lines: number; params: number; start_line: number }[];
  average_complexity: number;
  max_complexity: number;
  quality_score: number;
  deductions: string[];
  maintainability_index: number | null;
  parse_error: string | null;
}

export interface ExecuteResult {
  success: boolean;
  testResults: TestOutcome[];
  allTestsPassed: boolean;
  executionTime: number;
  executionTimeMs: number;
  verdict: string;
  verdictLabel: string;
  passedCount: number;
  total: number;
  compileOutput: string | null;
  error: string | null;
  qualityMetrics: QualityMetrics;
  submissionId: string;
}

export interface CodeSubmission {
  submissionId: string;
  submittedAt: string;
  language: CodeLanguage;
  problemId: string | null;
  code: string;
  verdict: string;
  verdictLabel: string;
  allTestsPassed: boolean;
  passedCount: number;
  total: number;
  executionTimeMs: number;
  qualityMetrics: QualityMetrics;
}

export type Competency = "technicalKnowledge" | "problemSolving" | "communication" | "codeQuality" | "culturalFit";

export interface Quote {
  turn_id: string;
  quote: string;
}

export interface CompetencyScore {
  score: number | null;
  weight: number;
  appliedWeight: number;
  reason: string;
  evidence: Quote[];
}

export interface QuestionFeedback {
  question: string;
  turnId: string | null;
  answerTurnIds: string[];
  score: number | null;
  feedback: string;
  covered: string[];
  missed: string[];
  star: Record<string, boolean> | null;
}

export interface Delivery {
  spokenAnswers: number;
  wordsPerMinute: number;
  fillerWordsPerMinute: number;
  fillerShare: number;
  longPauses: number;
  longPauseS: number;
  topFillers: Record<string, number>;
}

export interface PerformanceReport {
  sessionId: string;
  interviewType: string;
  candidateName: string;
  generatedAt: string;
  overallScore: number;
  scores: Record<Competency, number | null>;
  competencies: Record<Competency, CompetencyScore>;
  evidence: Record<Competency, Quote[]>;
  strengths: string[];
  improvements: string[];
  recommendation: "STRONG_HIRE" | "HIRE" | "LEAN_HIRE" | "LEAN_NO_HIRE" | "NO_HIRE";
  summary: string;
  questions: QuestionFeedback[];
  delivery: Delivery | null;
  judge: { kind: string; model: string | null; version: string };
}

export const COMPETENCIES: { key: Competency; label: string }[] = [
  { key: "technicalKnowledge", label: "Technical knowledge" },
  { key: "problemSolving", label: "Problem solving" },
  { key: "communication", label: "Communication" },
  { key: "codeQuality", label: "Code quality" },
  { key: "culturalFit", label: "Cultural fit" },
];
