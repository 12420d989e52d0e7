import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { tracingEnabled, useTracer } from './spans';

let flush: (() => Promise<void>) | undefined;

/** What turns tracing on: the standard variables (validated with the app's config, see tracingEnv). */
export interface TracingEnv {
  OTEL_SDK_DISABLED: boolean;
  OTEL_TRACES_EXPORTER?: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
}

/**
 * The exporters OTEL_TRACES_EXPORTER names, or otlp when only an OTLP endpoint is set. Off by
 * default: with neither set no SDK module is even loaded, and spans are no-ops (see startSpan).
 */
export function tracesExporters(env: TracingEnv): ('otlp' | 'console')[] {
  if (env.OTEL_SDK_DISABLED) return [];
  const named = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && name !== 'none') as ('otlp' | 'console')[];
  if (env.OTEL_TRACES_EXPORTER !== undefined) return named;
  return env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? ['otlp'] : [];
}

/**
 * Starts the trace SDK for this process when the environment asks for it: a batch processor per
 * exporter (OTEL_BSP_* tune it), the OTLP/protobuf exporter reading OTEL_EXPORTER_OTLP_* itself,
 * the resource from OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES over `service`, and the sampler
 * from OTEL_TRACES_SAMPLER (parent-based, always on, by default). One SDK per process: a second
 * app in the same process (tests) shares the first one's.
 */
export async function configureTracing(service: string, env: TracingEnv): Promise<void> {
  if (tracingEnabled()) return;
  const exporters = tracesExporters(env);
  if (exporters.length === 0) return;
  const sdk = await import('@opentelemetry/sdk-trace-base');
  const processors: SpanProcessor[] = [];
  for (const name of exporters) {
    const exporter: SpanExporter =
      name === 'otlp'
        ? new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter()
        : new sdk.ConsoleSpanExporter();
    processors.push(new sdk.BatchSpanProcessor(exporter));
  }
  await startProvider(service, processors);
}

/** Tracing into `exporter`, span by span (tests: an InMemorySpanExporter). */
export async function configureTracingWith(service: string, exporter: SpanExporter): Promise<void> {
  const sdk = await import('@opentelemetry/sdk-trace-base');
  await startProvider(service, [new sdk.SimpleSpanProcessor(exporter)]);
}

/** Stops tracing in this process, exporting what is buffered (tests that turned it on). */
export async function stopTracing(): Promise<void> {
  const done = flush;
  flush = undefined;
  useTracer(undefined);
  await done?.();
}

async function startProvider(service: string, spanProcessors: SpanProcessor[]): Promise<void> {
  const [{ BasicTracerProvider }, resources] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
  ]);
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': service }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new BasicTracerProvider({ resource, spanProcessors });
  flush = () => provider.forceFlush();
  useTracer(provider.getTracer('playball'));
}

/** Exports the spans still buffered when the app closes (a batch processor holds them up to 5 s). */
@Injectable()
export class TracingFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await flush?.();
  }
}
