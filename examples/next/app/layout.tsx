import type { ReactNode } from 'react';
import { ServerTrace } from './server-trace';

export const metadata = { title: 'Server-Timing with Next.js', icons: { icon: 'data:,' } };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        <ServerTrace />
      </body>
    </html>
  );
}
