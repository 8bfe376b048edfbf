// What the coding panel shows about a problem and a run, as pure functions (tested without Monaco).
import type { CodeLanguage, Problem, QualityMetrics } from "./types";

export const LANGUAGES: { id: CodeLanguage; label: string }[] = [
  { id: "python", label: "Python" },
  { id: "javascript", label: "JavaScript" },
  { id: "java", label: "Java" },
  { id: "cpp", label: "C++" },
];

/** The starter code for a language: the problem's signature template for Python and JavaScript (function
 * style); Java and C++ run whole programs on the problem's stdin format, so their starter reads stdin. */
export function starterCode(problem: Problem, language: CodeLanguage): string {
  const fromEvent = problem.templates?.[language];
  if (fromEvent) return fromEvent;
  if (language === "python") return problem.python.starter_code;
  if (language === "javascript") return problem.javascript.starter_code;
  const input = problem.stdio.input_format.split("\n").map((l) => `// ${l}`).join("\n");
  const output = problem.stdio.output_format.split("\n").map((l) => `// ${l}`).join("\n");
  if (language === "java") {
    return `import java.util.*;
import java.io.*;

// Reads the input from stdin and prints the answer.
// Input:
${input}
// Output:
${output}
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        // TODO: read the input, solve, print the answer
    }
}
`;
  }
  return `#include <bits/stdc++.h>
using namespace std;

// Reads the input from stdin and prints the answer.
// Input:
${input}
// Output:
${output}
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    // TODO: read the input, solve, print the answer
    return 0;
}
`;
}

export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return "—";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function formatArgs(input: Record<string, unknown>): string {
  return Object.entries(input)
    .map(([k, v]) => `${k} = ${formatValue(v)}`)
    .join(", ");
}

export interface MetricLine {
  label: string;
  value: string;
  help: string;
}

/** The quality metrics with a short explanation each. */
export function qualityLines(q: QualityMetrics): MetricLine[] {
  const lines: MetricLine[] = [
    { label: "Quality score", value: `${q.quality_score.toFixed(1)} / 10`, help: "Starts at 10; each deduction below names what cost points." },
    {
      label: "Cyclomatic complexity",
      value: `avg ${q.average_complexity.toFixed(1)}, max ${q.max_complexity}`,
      help: "Independent paths through a function; above about 10 a function is hard to test and reason about.",
    },
    { label: "Lines of code", value: String(q.lines_of_code), help: "Non-blank lines that hold code." },
    {
      label: "Comments",
      value: `${Math.round(q.comment_ratio * 100)} %`,
      help: "Share of lines with a comment; a few that explain why beat many that repeat the code.",
    },
  ];
  if (q.maintainability_index !== null && q.maintainability_index !== undefined) {
    lines.push({
      label: "Maintainability index",
      value: q.maintainability_index.toFixed(0),
      help: "0–100 from volume, complexity and size (Python only); above 65 is easy to maintain.",
    });
  }
  return lines;
}

export const VERDICT_TONE: Record<string, "good" | "bad" | "warn"> = {
  accepted: "good",
  wrong_answer: "bad",
  runtime_error: "bad",
  compilation_error: "bad",
  time_limit_exceeded: "warn",
  memory_limit_exceeded: "warn",
  output_limit_exceeded: "warn",
  rejected: "bad",
  internal_error: "warn",
};
