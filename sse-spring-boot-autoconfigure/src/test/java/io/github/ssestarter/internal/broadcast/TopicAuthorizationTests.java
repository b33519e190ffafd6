package io.github.ssestarter.internal.broadcast;

import java.time.Duration;
import java.util.List;

import io.github.ssestarter.SseTopicAuthorizer;
import io.github.ssestarter.TestUserFilter;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.session.SessionDestroyedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * An application's {@link SseTopicAuthorizer} decides who may subscribe to a topic, first
 * connections and resumptions alike; signing a user out, or the end of their session, ends their
 * streams.
 */
@SpringBootTest(classes = { BroadcastTestApplication.class, TopicAuthorizationTests.RedTeamOnly.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
class TopicAuthorizationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	DefaultSseBroadcaster broadcaster;

	@Autowired
	ApplicationEventPublisher events;

	@Test
	void letsOnlyWhomTheAuthorizerAllowsSubscribe() {
		SseTestClient client = new SseTestClient(this.port);
		try (SseTestClient.Stream alice = client.open("/topics/team:red", TestUserFilter.HEADER, "alice")) {
			assertThat(alice.status()).isEqualTo(200);
			String id = this.broadcaster.publish("team:red", "hello reds");
			assertThat(assertTimeoutPreemptively(PATIENCE, alice::next)).isEqualTo(new SseEvent("message", "hello reds", id));
		}
		try (SseTestClient.Stream bob = client.open("/topics/team:red", TestUserFilter.HEADER, "bob")) {
			assertThat(bob.status()).isEqualTo(403);
			assertThat(bob.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(bob.body()).contains("\"status\":403").contains("Not allowed to subscribe to topic 'team:red'");
		}
		try (SseTestClient.Stream anonymous = client.open("/topics/team:red")) {
			assertThat(anonymous.status()).isEqualTo(403);
		}
		try (SseTestClient.Stream bob = client.open("/topics/open", TestUserFilter.HEADER, "bob")) {
			assertThat(bob.status()).isEqualTo(200);
		}
	}

	@Test
	void refusesAResumptionWithAnIdOfATopicTheUserMayNotSee() {
		String earlier = this.broadcaster.publish("team:red", "secret");
		this.broadcaster.publish("team:red", "more secret");
		SseTestClient client = new SseTestClient(this.port);
		try (SseTestClient.Stream bob = client.open("/topics/team:red", TestUserFilter.HEADER, "bob", "Last-Event-ID",
				earlier)) {
			assertThat(bob.status()).isEqualTo(403);
			assertThat(bob.body()).doesNotContain("secret");
		}
	}

	@Test
	void endsTheStreamsOfAUserWhoSignsOut() {
		SseTestClient client = new SseTestClient(this.port);
		try (SseTestClient.Stream alice = client.open("/topics/open", TestUserFilter.HEADER, "alice");
				SseTestClient.Stream bob = client.open("/topics/open", TestUserFilter.HEADER, "bob")) {
			await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("open") == 2);
			this.events.publishEvent(new LogoutSuccessEvent(new TestingAuthenticationToken("alice", null)));
			assertThat(assertTimeoutPreemptively(PATIENCE, alice::next)).as("alice's stream ends").isNull();
			String id = this.broadcaster.publish("open", "still here");
			assertThat(assertTimeoutPreemptively(PATIENCE, bob::next)).isEqualTo(new SseEvent("message", "still here", id));
		}
	}

	@Test
	void endsTheStreamsOfAUserWhoseSessionEnds() {
		SseTestClient client = new SseTestClient(this.port);
		try (SseTestClient.Stream carol = client.open("/topics/sessions", TestUserFilter.HEADER, "carol");
				SseTestClient.Stream dave = client.open("/topics/sessions", TestUserFilter.HEADER, "dave")) {
			await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("sessions") == 2);
			// As Spring Security's HttpSessionEventPublisher announces a session that expired.
			this.events.publishEvent(new SessionDestroyedEvent("session-1") {

				@Override
				public List<SecurityContext> getSecurityContexts() {
					return List.of(new SecurityContextImpl(new TestingAuthenticationToken("carol", null)));
				}

				@Override
				public String getId() {
					return "session-1";
				}

			});
			assertThat(assertTimeoutPreemptively(PATIENCE, carol::next)).as("carol's stream ends").isNull();
			String id = this.broadcaster.publish("sessions", "still here");
			assertThat(assertTimeoutPreemptively(PATIENCE, dave::next))
				.isEqualTo(new SseEvent("message", "still here", id));
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class RedTeamOnly {

		@Bean
		SseTopicAuthorizer redTeamOnly() {
			return (user, topic) -> !topic.startsWith("team:") || (user != null && user.getName().equals("alice"));
		}

	}

}
