// The CV analysis as parsed by the server, editable before the interview starts (saved with PUT).
import { useState } from "react";
import type { CvAnalysis, SkillDetail, SkillSource } from "../lib/types";

const SOURCE_LABEL: Record<SkillSource, string> = {
  taxonomy: "known skill",
  alias: "known skill, other spelling",
  similar: "matched to a known skill",
  list_item: "from your list, as written",
};

/** Where the analyzer read each skill, so a misread one can be spotted and removed above. */
export function SkillEvidenceList(props: { details: SkillDetail[] }) {
  return (
    <details className="cv-evidence" data-testid="cv-evidence">
      <summary>Where each skill was found</summary>
      <ul className="plain-list">
        {props.details.map((detail) => {
          const first = detail.evidence[0];
          return (
            <li key={detail.name} data-testid="cv-evidence-item">
              <strong>{detail.name}</strong>{" "}
              <span className={`badge source-${detail.source}`}>{SOURCE_LABEL[detail.source]}</span>
              {first && (
                <span className="muted">
                  {" "}
                  {first.section}, line {first.line}: “{first.text}”
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}

export function CvReview(props: {
  analysis: CvAnalysis;
  filename: string;
  saving: boolean;
  onSave: (analysis: CvAnalysis) => void;
  onSkip: () => void;
}) {
  const a = props.analysis;
  const [name, setName] = useState(a.candidateName ?? "");
  const [email, setEmail] = useState(a.email ?? "");
  const [skills, setSkills] = useState(a.skills.join(", "));
  const [years, setYears] = useState(a.totalYearsExperience != null ? String(a.totalYearsExperience) : "");

  const save = () => {
    const parsedYears = Number.parseFloat(years);
    props.onSave({
      ...a,
      candidateName: name.trim() || null,
      email: email.trim() || null,
      skills: skills
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      totalYearsExperience: Number.isFinite(parsedYears) && parsedYears >= 0 ? parsedYears : 0,
    });
  };

  return (
    <section className="card cv-review" aria-labelledby="cv-review-title" data-testid="cv-review">
      <h2 id="cv-review-title">Your CV, as the interviewer will read it</h2>
      <p className="muted">
        Parsed from <strong>{props.filename}</strong>. Correct anything that was misread; the interviewer tailors its
        questions to these skills.
      </p>
      <div className="grid-2">
        <label className="field">
          <span>Name on the CV</span>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>Email</span>
          <input value={email} onChange={(e) => setEmail(e.target.value)} type="email" />
        </label>
      </div>
      <label className="field">
        <span>Skills (comma separated)</span>
        <textarea value={skills} onChange={(e) => setSkills(e.target.value)} rows={3} data-testid="cv-skills" />
      </label>
      {a.skillDetails && a.skillDetails.length > 0 && <SkillEvidenceList details={a.skillDetails} />}
      <label className="field narrow">
        <span>Years of experience</span>
        <input value={years} onChange={(e) => setYears(e.target.value)} inputMode="decimal" />
      </label>
      {a.experience.length > 0 && (
        <div>
          <h3>Experience</h3>
          <ul className="plain-list">
            {a.experience.map((x, i) => (
              <li key={i}>
                <strong>{x.title ?? "Role"}</strong>
                {x.company ? ` · ${x.company}` : ""}{" "}
                <span className="muted">
                  {x.start ?? "?"} – {x.end ?? "?"}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {a.education.length > 0 && (
        <div>
          <h3>Education</h3>
          <ul className="plain-list">
            {a.education.map((x, i) => (
              <li key={i}>
                {x.degree ?? "Degree"}
                {x.institution ? ` · ${x.institution}` : ""} {x.year ? <span className="muted">{String(x.year)}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="actions">
        <button className="btn primary" onClick={save} disabled={props.saving} data-testid="cv-continue">
          {props.saving ? "Saving…" : "Save and start the interview"}
        </button>
        <button className="btn ghost" onClick={props.onSkip} disabled={props.saving}>
          Start without changes
        </button>
      </div>
    </section>
  );
}
