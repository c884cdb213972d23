import nodemailer, { type Transporter } from 'nodemailer';

export interface SmtpSettings {
  host: string;
  port: number;
  secure?: boolean;
  user?: string;
  password?: string;
}

export function createSmtpTransport(s: SmtpSettings): Transporter {
  return nodemailer.createTransport({
    // Pooled: a breach mail goes out on an open connection instead of paying a TCP and SMTP handshake.
    pool: true,
    maxConnections: 5,
    host: s.host,
    port: s.port,
    secure: s.secure ?? false,
    ignoreTLS: !s.secure,
    auth: s.user ? { user: s.user, pass: s.password ?? '' } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
}
