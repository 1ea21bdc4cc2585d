import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';
import { countPageError } from '../app/page-errors.ts';

interface Props {
  /** What this part of the show is called in the notice. */
  part: string;
  children: ReactNode;
  /** Try the part again after this long (the show goes on meanwhile). */
  retryMs?: number;
}

/**
 * A render error in one part of the show (the scene, a panel) shows a calm notice in that part
 * and keeps the rest — and the music — going, instead of a white page. It retries by itself.
 */
export class CalmBoundary extends Component<Props, { error: Error | null; attempt: number }> {
  override state = { error: null as Error | null, attempt: 0 };
  private timer: ReturnType<typeof setTimeout> | undefined;

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    countPageError(`${this.props.part}: ${error.message}`);
    console.warn(`[dreamscape] ${this.props.part} failed and is resting:`, error, info.componentStack);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.setState((s) => ({ error: null, attempt: s.attempt + 1 })), this.props.retryMs ?? 5000);
  }

  override componentWillUnmount() {
    clearTimeout(this.timer);
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="calm-notice" role="status" data-testid={`resting-${this.props.part}`}>
          <p>The {this.props.part} is resting for a moment; the dream goes on.</p>
        </div>
      );
    }
    return <Component_ key={this.state.attempt}>{this.props.children}</Component_>;
  }
}

// A keyed wrapper so a retry remounts the part from scratch.
const Component_ = ({ children }: { children: ReactNode }) => <>{children}</>;
