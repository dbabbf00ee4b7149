'use client';

import { getServerTiming } from '@otel-server-timing/browser';
import { useEffect, useState } from 'react';

/** Shows what the browser got from this page's Server-Timing: the server trace and the metrics. */
export function ServerTrace() {
  const [text, setText] = useState('');
  useEffect(() => {
    const timing = getServerTiming();
    const metrics = timing?.metrics.map((metric) => `${metric.name} ${metric.duration} ms`).join(', ');
    setText(`server trace ${timing?.traceContext?.traceId ?? 'none'}: ${metrics ?? ''}`);
  }, []);
  return <p id="server-trace">{text}</p>;
}
