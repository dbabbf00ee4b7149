import { testConsumers } from '@otel-server-timing/adapter-test-kit';

testConsumers(import.meta.url);
