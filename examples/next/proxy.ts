import { type NextRequest, NextResponse } from 'next/server';

// Next.js middleware (called proxy since Next.js 16): it answers /from-proxy itself and lets the rest through.
export function proxy(request: NextRequest) {
  if (request.nextUrl.pathname === '/from-proxy') return NextResponse.json({ from: 'proxy' });
  return NextResponse.next();
}

export const config = { matcher: ['/from-proxy', '/dynamic'] };
