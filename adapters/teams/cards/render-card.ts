import type { ReplyBody } from '../../../src/core';
import type { AdaptiveCard } from './card';
import { renderFeedback } from './render-feedback';
import { renderQuestion } from './render-question';
import {
  renderConfirm,
  renderExamResult,
  renderFile,
  renderLeaderboard,
  renderProgress,
  renderReportAck,
  renderReveal,
  renderSummary,
  renderText,
} from './render-views';

/** Renders a reply as one or more Adaptive Cards 1.5 (a long exam review takes several). */
export function renderCards(reply: ReplyBody): AdaptiveCard[] {
  if (reply.kind === 'exam-result') return renderExamResult(reply);
  if (reply.kind === 'file') return renderFile(reply);
  return [renderCard(reply)];
}

/** Renders any reply of the core as one Adaptive Card 1.5 (exam results and files: their first card). */
export function renderCard(reply: ReplyBody): AdaptiveCard {
  switch (reply.kind) {
    case 'file':
      return renderFile(reply)[0] as AdaptiveCard;
    case 'exam-result':
      return renderExamResult(reply)[0] as AdaptiveCard;
    case 'question':
      return renderQuestion(reply);
    case 'feedback':
      return renderFeedback(reply);
    case 'summary':
      return renderSummary(reply);
    case 'leaderboard':
      return renderLeaderboard(reply);
    case 'progress':
      return renderProgress(reply);
    case 'reveal':
      return renderReveal(reply);
    case 'text':
      return renderText(reply);
    case 'confirm':
      return renderConfirm(reply);
    case 'report-ack':
      return renderReportAck(reply);
  }
}

/** A one-line text for notifications and clients that show no cards. */
export function summaryLine(reply: ReplyBody): string {
  switch (reply.kind) {
    case 'file':
      return `File: ${reply.name}`;
    case 'question':
      return reply.target.kind === 'post' ? 'Question of the day' : 'Your next question';
    case 'feedback':
      return reply.correct ? 'Correct!' : 'Not quite';
    case 'summary':
      return `Quiz done: ${reply.correct} of ${reply.total} right`;
    case 'exam-result':
      return `Mock exam: ${reply.score} / 1000`;
    case 'leaderboard':
      return 'Leaderboard';
    case 'progress':
      return 'Your progress';
    case 'reveal':
      return 'The answer';
    case 'text':
      return reply.text.split('\n')[0]?.slice(0, 120) ?? '';
    case 'confirm':
      return reply.text.slice(0, 120);
    case 'report-ack':
      return 'Report filed';
  }
}
