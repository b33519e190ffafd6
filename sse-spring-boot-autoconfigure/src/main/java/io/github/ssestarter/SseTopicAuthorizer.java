package io.github.ssestarter;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

/**
 * Decides who may subscribe to a broadcaster topic. Define a bean of this type and the starter
 * asks it before a subscription's stream opens, for a client's first connection and for every
 * resumption with a {@code Last-Event-ID} alike: a refused request is answered {@code 403} with
 * problem details and receives nothing of the topic, neither live events nor replayed ones.
 * Without such a bean, anyone who can reach a subscription endpoint may subscribe.
 *
 * <p>The principal is the request's ({@code HttpServletRequest#getUserPrincipal}); with Spring
 * Security it is the {@code Authentication}, whose authorities an implementation may consult. The
 * method is called on request threads: it must be thread-safe and should return quickly.
 *
 * <pre class="code">
 * &#064;Bean
 * SseTopicAuthorizer teamTopics(Teams teams) {
 *     return (user, topic) -&gt; !topic.startsWith("team:")
 *             || (user != null &amp;&amp; teams.isMember(user.getName(), topic.substring(5)));
 * }
 * </pre>
 */
@FunctionalInterface
public interface SseTopicAuthorizer {

	/**
	 * Whether a client may subscribe to a topic.
	 * @param user the request's principal, or {@code null} for an anonymous request
	 * @param topic the topic's name
	 * @return {@code true} to let the subscription open
	 */
	boolean maySubscribe(@Nullable Principal user, String topic);

}
