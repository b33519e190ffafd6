package io.github.ssestarter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller method as a Server-Sent Events endpoint and holds its settings, overriding
 * the application-wide {@code sse.*} properties for that method. (An application's own endpoint,
 * served by Spring MVC; unrelated to Actuator's endpoints.) On a class, it applies to every
 * method of the class that returns a {@code Stream} or a {@code Flux} and does not carry its own.
 *
 * <p>A method answers with an event stream only when it asks for one: when it (or its class)
 * carries this annotation, when its mapping {@code produces} {@code text/event-stream}, when it
 * returns an {@link SseSubscription}, or when it returns a {@code Stream} or {@code Flux} declared
 * with {@link SseItem} or Spring's {@code ServerSentEvent} elements. Other methods are answered by
 * Spring MVC as if the starter were not there.
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

	/**
	 * Makes the stream resumable for this long after its client disconnects; empty for a stream
	 * that ends with its connection.
	 *
	 * <p>A resumable stream runs its source once: events go into a buffer of
	 * {@code sse.resume.capacity} events and get ids that name the stream and the event's position.
	 * When the connection drops, the source keeps running; a request to the same endpoint and path
	 * with the {@code Last-Event-ID} of one of its events, from the principal that started it (or
	 * from anyone, for a stream started anonymously), is replayed what it missed and then follows
	 * live, without the controller method being called again. A client that already has the last
	 * event of a finished stream gets {@code 204 No Content}, which stops {@code EventSource} from
	 * reconnecting. A stream nobody resumes within the window has its source cancelled.
	 * @return the resume window, such as {@code "2m"}
	 */
	String resumeWindow() default "";

}
