// NestJS on its Fastify platform with @otel-server-timing/fastify.
//   pnpm build && pnpm start:fastify   then   curl -i http://127.0.0.1:3000/products
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { serverTiming } from '@otel-server-timing/fastify';
import { AppModule } from './app.module';

async function main() {
  const { announce, listenPort } = await import('@otel-server-timing/example-support');
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), {
    logger: ['error', 'warn'],
  });
  // A Fastify plugin on the Fastify instance Nest made (with the fastify version Nest pins).
  await app.register(serverTiming);
  announce(app.getHttpServer(), '/products');
  await app.listen(listenPort(), '127.0.0.1');
}

void main();
