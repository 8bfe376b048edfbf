// A small client-side router: the gateway answers every client route with index.html (SPA fallback).
import { useEffect, useState } from "react";

export type Route =
  | { page: "start" }
  | { page: "interview"; sessionId: string }
  | { page: "report"; sessionId: string }
  | { page: "history" }
  | { page: "not_found"; path: string };

export function matchRoute(path: string): Route {
  const clean = path.replace(/\/+$/, "") || "/";
  if (clean === "/") return { page: "start" };
  if (clean === "/history") return { page: "history" };
  const m = /^\/(interview|report)\/([^/]+)$/.exec(clean);
  if (m) {
    const sessionId = decodeURIComponent(m[2]!);
    return m[1] === "interview" ? { page: "interview", sessionId } : { page: "report", sessionId };
  }
  return { page: "not_found", path };
}

export function navigate(path: string): void {
  window.history.pushState({}, "", path);
  window.dispatchEvent(new PopStateEvent("popstate"));
  window.scrollTo(0, 0);
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  return path;
}

export function Link(props: { to: string; className?: string; children: React.ReactNode; "data-testid"?: string }) {
  return (
    <a
      href={props.to}
      className={props.className}
      data-testid={props["data-testid"]}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
