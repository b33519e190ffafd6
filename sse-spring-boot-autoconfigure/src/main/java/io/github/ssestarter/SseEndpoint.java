package io.github.ssestarter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Per-endpoint settings for a controller method that streams Server-Sent Events, overriding the
 * application-wide {@code sse.*} properties for that method. On a class, it applies to every
 * streaming method of the class that does not carry its own.
 *
 * <p>Durations use Spring Boot's formats: {@code "500ms"}, {@code "5s"}, {@code "PT1M"}. An empty
 * attribute keeps the application-wide value.
 *
 * <pre class="code">
 * &#064;GetMapping("/ticks")
 * &#064;SseEndpoint(eventType = "tick", heartbeat = "5s")
 * Stream&lt;Tick&gt; ticks() { ... }
 * </pre>
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SseEndpoint {

	/**
	 * Event type written for items that do not name one; empty for the default {@code message} type.
	 * @return the default event type
	 */
	String eventType() default "";

	/**
	 * Silence after which a heartbeat comment is written; empty for {@code sse.heartbeat}.
	 * @return the heartbeat interval
	 */
	String heartbeat() default "";

	/**
	 * Longest lifetime of one stream; empty for {@code sse.timeout}.
	 * @return the stream timeout
	 */
	String timeout() default "";

	/**
	 * Reconnection delay sent to the client when the stream opens; empty for {@code sse.retry}.
	 * @return the retry hint
	 */
	String retry() default "";

}
