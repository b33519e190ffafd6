package io.github.ssestarter.observation;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTraceContextBuilder;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer's test tracer behind the application's {@code ObservationRegistry}, as Spring Boot's
 * tracing auto-configuration would set up a real one: senders inject a W3C {@code traceparent}
 * header, receivers continue the trace it names.
 */
@Configuration(proxyBeanMethods = false)
public class TracingTestConfiguration {

	@Bean
	SimpleTracer simpleTracer() {
		return new SimpleTracer();
	}

	@Bean
	ObservationHandler<Observation.Context> tracingObservationHandler(SimpleTracer tracer) {
		Propagator propagator = new TraceparentPropagator(tracer);
		return new ObservationHandler.FirstMatchingCompositeObservationHandler(
				new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
				new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
				new DefaultTracingObservationHandler(tracer));
	}

	/**
	 * The one span of a tracer with the given name whose tag has the given value, if it has
	 * started (and, for its name and tags, stopped).
	 */
	public static Optional<SimpleSpan> span(SimpleTracer tracer, String name, String tag, String value) {
		List<SimpleSpan> found = tracer.getSpans().stream()
			.filter((span) -> name.equals(span.getName()) && value.equals(span.getTags().get(tag)))
			.toList();
		if (found.size() > 1) {
			throw new AssertionError("More than one span '" + name + "' with " + tag + "=" + value + ": " + found);
		}
		return found.stream().findFirst();
	}

	/** The W3C {@code traceparent} header, enough of it for the test tracer. */
	static final class TraceparentPropagator implements Propagator {

		private static final String TRACEPARENT = "traceparent";

		private final SimpleTracer tracer;

		TraceparentPropagator(SimpleTracer tracer) {
			this.tracer = tracer;
		}

		@Override
		public List<String> fields() {
			return List.of(TRACEPARENT);
		}

		@Override
		public <C> void inject(TraceContext context, @Nullable C carrier, Setter<C> setter) {
			setter.set(carrier, TRACEPARENT, "00-" + context.traceId() + "-" + context.spanId() + "-01");
		}

		@Override
		public <C> Span.Builder extract(C carrier, Getter<C> getter) {
			Span.Builder builder = this.tracer.spanBuilder();
			String header = getter.get(carrier, TRACEPARENT);
			if (header == null) {
				return builder;
			}
			String[] parts = header.split("-");
			TraceContext parent = new SimpleTraceContextBuilder().traceId(parts[1]).spanId(parts[2])
				.sampled(Objects.equals(parts[3], "01")).build();
			return builder.setParent(parent);
		}

	}

}
