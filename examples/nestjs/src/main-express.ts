// NestJS on its Express platform with @otel-server-timing/express.
//   pnpm build && pnpm start   then   curl -i http://127.0.0.1:3000/products
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { serverTiming } from '@otel-server-timing/express';
import { AppModule } from './app.module';

async function main() {
  const { announce, listenPort } = await import('@otel-server-timing/example-support');
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: ['error', 'warn'] });
  app.use(serverTiming()); // Express middleware: every route of the app gets the header
  announce(app.getHttpServer(), '/products');
  await app.listen(listenPort(), '127.0.0.1');
}

void main();
