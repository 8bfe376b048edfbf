import { Component, type ReactNode } from "react";
import { Link, matchRoute, usePath } from "./lib/router";
import { StartPage } from "./pages/StartPage";
import { InterviewPage } from "./pages/InterviewPage";
import { ReportPage } from "./pages/ReportPage";
import { HistoryPage } from "./pages/HistoryPage";

class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  render() {
    if (this.state.error) {
      return (
        <div className="card error-page" role="alert">
          <h1>Something went wrong on this page</h1>
          <p>{this.state.error.message}</p>
          <p>
            <a href="/">Back to the start page</a> or reload to try again. The interview itself is kept by the
            server.
          </p>
        </div>
      );
    }
    return this.props.children;
  }
}

export function App() {
  const path = usePath();
  const route = matchRoute(path);
  let page: ReactNode;
  switch (route.page) {
    case "start":
      page = <StartPage />;
      break;
    case "interview":
      page = <InterviewPage key={route.sessionId} sessionId={route.sessionId} />;
      break;
    case "report":
      page = <ReportPage key={route.sessionId} sessionId={route.sessionId} />;
      break;
    case "history":
      page = <HistoryPage />;
      break;
    default:
      page = (
        <div className="card">
          <h1>Page not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <Link to="/">Start an interview</Link>.
          </p>
        </div>
      );
  }
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">P</span>
          <span>PrepAI</span>
        </Link>
        <nav aria-label="Main">
          <Link to="/">New interview</Link>
          <Link to="/history">History</Link>
        </nav>
      </header>
      <main id="main" className={route.page === "interview" ? "main wide" : "main"}>
        <ErrorBoundary key={path}>{page}</ErrorBoundary>
      </main>
    </>
  );
}
