import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

/**
 * Registers an OpenTelemetry tracer provider, so each order's span has a trace id that faultline's reports
 * carry. The spans are not exported anywhere: a real service would add its exporter's span processor here.
 */
export function startTracing(): { shutdown(): Promise<void> } {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const provider = new BasicTracerProvider();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
