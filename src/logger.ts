import pino from 'pino';
import type { Logger } from './core';

/** The service's structured logger (pino, JSON lines on stdout); secrets are redacted. */
export function createLogger(level: string): Logger & pino.Logger {
  return pino({
    level,
    base: { service: 'study-companion' },
    redact: {
      paths: [
        '*.token',
        '*.botToken',
        '*.signingSecret',
        '*.appPassword',
        '*.authorization',
        'req.headers.authorization',
      ],
      censor: '[redacted]',
    },
  });
}
