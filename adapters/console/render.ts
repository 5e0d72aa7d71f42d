import type { Reply } from '../../src/core';

const ansi = (code: number) => (s: string) => (process.stdout.isTTY ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = ansi(1);
const dim = ansi(2);
const green = ansi(32);
const red = ansi(31);
const cyan = ansi(36);

/** CommonMark subset → terminal text. */
export function markdown(text: string): string {
  return text
    .replace(/\*\*([^*]+)\*\*/g, (_, b: string) => bold(b))
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_, t: string, u: string) => `${t} (${u})`)
    .replace(/`([^`]+)`/g, (_, c: string) => cyan(c));
}

/** A percentage bar: `████░░░░░░ 40%`. */
export function bar(correct: number, total: number, width = 10): string {
  if (total === 0) return dim(`${'░'.repeat(width)}  no answers yet`);
  const share = correct / total;
  const full = Math.round(share * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)} ${Math.round(share * 100)}% (${correct}/${total})`;
}

/**
 * Renders a reply as terminal text. Options are numbered (1, 2, 3…) as well as
 * lettered, so a person can answer with either.
 */
export function render(reply: Reply): string {
  switch (reply.kind) {
    case 'text':
      return markdown(reply.text);
    case 'question': {
      const head = [
        reply.position
          ? bold(`Question ${reply.position.index} of ${reply.position.total}`)
          : bold('Question'),
        dim(`${reply.domain.name} · ${reply.skill.id} ${reply.skill.name}`),
      ].join('  ');
      const context = reply.context
        ? `${bold(reply.context.title)}\n${markdown(reply.context.text.trim())}\n\n`
        : '';
      const how =
        reply.type === 'multiple'
          ? `Choose ${reply.choose}: type their numbers, e.g. "1 3".`
          : reply.type === 'order'
            ? `Put ${reply.choose} steps in order: type their numbers first to last, e.g. "3 1 2".`
            : 'Type the number of your answer.';
      const chosen = new Set(reply.exam?.chosen ?? []);
      const options = reply.options
        .map(
          (o, i) =>
            `  ${bold(String(i + 1))}. ${o.letter}) ${markdown(o.text)}${chosen.has(o.id) ? green('  ← your answer') : ''}`,
        )
        .join('\n');
      const exam = reply.exam
        ? `${dim(`⏱ ${reply.exam.minutesLeft} min left · ${reply.exam.answered}/${reply.exam.total} answered · ${reply.exam.section} section`)}${reply.exam.flagged ? red(' · flagged') : ''}\n`
        : '';
      const actions = reply.actions?.length
        ? `\n${dim(`Or type: ${reply.actions.map((a) => a.replace('-', ' ')).join(' · ')}`)}`
        : '';
      return `${head}\n${exam}${context}${markdown(reply.stem.trim())}\n\n${options}\n${dim(how)}${actions}`;
    }
    case 'feedback': {
      const verdict =
        reply.note === 'already-answered'
          ? dim('You already answered this one.')
          : reply.correct
            ? green('✔ Correct!')
            : red('✘ Not quite.');
      const partial =
        !reply.correct && reply.possible > 1 ? ` (${reply.earned} of ${reply.possible} parts right)` : '';
      const answer = reply.answer
        .map((o) => `${o.letter}) ${o.text}`)
        .join(reply.type === 'order' ? '  →  ' : '; ');
      const why = reply.whyWrong.map((w) => `  ${w.option.letter}: ${markdown(w.why)}`).join('\n');
      const points =
        reply.points > 0 ? green(`+${reply.points} points`) : dim('no points (answered before, or late)');
      return [
        `${verdict}${partial}`,
        `${bold('Answer:')} ${markdown(answer)}`,
        markdown(reply.explanation.trim()),
        why ? `${bold('Why not your choice:')}\n${why}` : '',
        dim(`Learn more: ${reply.links.join(' ')}`),
        `${reply.note === 'already-answered' ? '' : `${points} · `}total ${reply.totalPoints} · streak ${reply.streak} 🔥`,
        reply.hasNext ? dim('Press Enter (or type "next") for the next question.') : '',
      ]
        .filter(Boolean)
        .join('\n');
    }
    case 'summary': {
      const domains = reply.domains
        .map((d) => `  ${d.domain.name.padEnd(32)} ${bar(d.correct, d.total)}`)
        .join('\n');
      const drill = reply.drill.length
        ? `Drill next: ${reply.drill.map((s) => `${s.id} ${s.name}`).join(', ')}`
        : 'Nothing to drill: well done!';
      return [
        bold(`Quiz done: ${reply.correct} of ${reply.total} right.`),
        domains,
        `+${reply.pointsEarned} points (total ${reply.totalPoints}) · streak ${reply.streak} 🔥`,
        drill,
      ].join('\n');
    }
    case 'exam-result': {
      const domains = reply.domains
        .map((d) => `  ${d.domain.name.padEnd(32)} ${bar(d.correct, d.total)}`)
        .join('\n');
      const misses = reply.misses
        .map((m, i) => {
          const yours = m.chosen.length ? m.chosen.map((o) => o.letter).join(', ') : 'no answer';
          const right = m.answer.map((o) => `${o.letter}) ${o.text}`).join(m.type === 'order' ? ' → ' : '; ');
          return `${bold(`${i + 1}.`)} ${markdown(m.stem.trim())}\n   You: ${yours} · Answer: ${markdown(right)}\n   ${markdown(m.explanation.trim())}\n   ${dim(m.links[0] ?? '')}`;
        })
        .join('\n');
      return [
        bold(`Mock exam ${reply.passed ? 'PASSED' : 'not passed'}: ${reply.score} / 1000`) +
          dim(` (pass at ${reply.passingScore}; our estimate of Microsoft's scale)`),
        `${reply.earned} of ${reply.possible} points · ${reply.answered} of ${reply.total} answered · ${reply.minutes} min${reply.timedOut ? ' · time ran out' : ''} · +${reply.points} leaderboard points`,
        domains,
        reply.misses.length
          ? `${bold('Review of your misses:')}\n${misses}`
          : green('No misses. Impressive!'),
      ].join('\n');
    }
    case 'leaderboard': {
      const title = `${reply.period === 'week' ? `This week (${reply.week})` : reply.period === 'all' ? 'All time' : 'Current streaks'} · ${reply.scope.kind === 'group' ? reply.scope.name : 'workspace'}`;
      const rows = reply.entries.length
        ? reply.entries
            .map((e) => `  ${String(e.rank).padStart(2)}. ${e.name.padEnd(24)} ${e.score}`)
            .join('\n')
        : dim('  Nobody on this board yet.');
      const me = reply.me
        ? reply.me.hidden
          ? dim('You are hidden from the boards.')
          : reply.me.rank
            ? `You: #${reply.me.rank} with ${reply.me.score}`
            : dim(`You are not on this board yet.`)
        : '';
      return [bold(`Leaderboard: ${title}`), rows, me].filter(Boolean).join('\n');
    }
    case 'progress': {
      const domains = reply.domains
        .map((d) => `  ${d.domain.name.padEnd(32)} ${bar(d.correct, d.total)}`)
        .join('\n');
      const exam = reply.examDate ? `Exam on ${reply.examDate} (${reply.daysToExam} days)` : '';
      return [
        bold(`Progress for ${reply.name}`),
        `Streak ${reply.streak} 🔥 (best ${reply.bestStreak}, ${reply.freezes} freeze${reply.freezes === 1 ? '' : 's'}, ${reply.streakMode})${reply.streakAtRisk ? red(' — answer today to keep it!') : ''}`,
        `Points ${reply.points} (this week ${reply.weekPoints})${reply.rank ? ` · rank #${reply.rank}` : ''}`,
        `Answered ${reply.answered}, ${reply.correct} right · ${reply.dueReviews} review${reply.dueReviews === 1 ? '' : 's'} due`,
        `Readiness ${reply.readiness.score} ± ${reply.readiness.margin} of 1000 (pass at ${reply.readiness.passingScore})`,
        domains,
        exam,
      ]
        .filter(Boolean)
        .join('\n');
    }
    case 'reveal':
      return `${bold('Answer:')} ${reply.answer.map((o) => `${o.letter}) ${o.text}`).join('; ')}\n${markdown(reply.explanation)}\n${reply.correct} of ${reply.answered} got it right.`;
    case 'confirm':
      return markdown(reply.text);
    case 'file':
      return `${dim(`── ${reply.name} ──`)}\n${reply.content}`;
    case 'report-ack':
      return 'Thanks, the report was filed.';
  }
}
