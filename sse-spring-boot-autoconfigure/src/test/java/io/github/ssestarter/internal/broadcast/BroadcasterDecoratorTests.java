package io.github.ssestarter.internal.broadcast;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseSubscription;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * An application's own {@link SseBroadcaster} in front of the starter's, as the README describes:
 * the application's code (the test controller included) gets it, and subscriptions, delivery and
 * the Actuator endpoint work as without it.
 */
@SpringBootTest(classes = { BroadcastTestApplication.class, BroadcasterDecoratorTests.Auditing.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.endpoints.web.exposure.include=sse")
class BroadcasterDecoratorTests {

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@Autowired
	AuditingBroadcaster auditing;

	@Autowired
	DefaultSseBroadcaster starters;

	@Test
	void theApplicationsBroadcasterFrontsTheStartersAndEverythingStillWorks() throws Exception {
		assertThat(this.broadcaster).isSameAs(this.auditing);
		try (SseTestClient.Stream stream = new SseTestClient(this.port).open("/topics/audited")) {
			assertThat(stream.status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.starters.subscriberCount("audited") == 1);
			String id = this.broadcaster.publish("audited", "checked");
			SseEvent event = assertTimeoutPreemptively(Duration.ofSeconds(10), stream::next);
			assertThat(event).isEqualTo(new SseEvent("message", "checked", id));
		}
		assertThat(this.auditing.audit).containsExactly("subscribe audited", "publish audited");
		HttpResponse<String> actuator = HttpClient.newHttpClient().send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/sse")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(actuator.statusCode()).isEqualTo(200);
		assertThat(actuator.body()).contains("\"audited\"");
	}

	@Configuration(proxyBeanMethods = false)
	static class Auditing {

		@Bean
		@Primary
		AuditingBroadcaster auditingBroadcaster(@Qualifier("sseBroadcaster") SseBroadcaster broadcaster) {
			return new AuditingBroadcaster(broadcaster);
		}

	}

	/** Writes down what the application does, then lets the starter's broadcaster do it. */
	static final class AuditingBroadcaster implements SseBroadcaster {

		final List<String> audit = new CopyOnWriteArrayList<>();

		private final SseBroadcaster delegate;

		AuditingBroadcaster(SseBroadcaster delegate) {
			this.delegate = delegate;
		}

		@Override
		public String publish(String topic, Object data) {
			this.audit.add("publish " + topic);
			return this.delegate.publish(topic, data);
		}

		@Override
		public String publish(String topic, SseItem<?> item) {
			this.audit.add("publish " + topic);
			return this.delegate.publish(topic, item);
		}

		@Override
		public String publishToUsers(String topic, Collection<String> users, SseItem<?> item) {
			this.audit.add("publish " + topic + " to " + users);
			return this.delegate.publishToUsers(topic, users, item);
		}

		@Override
		public SseSubscription subscribe(String topic) {
			this.audit.add("subscribe " + topic);
			return this.delegate.subscribe(topic);
		}

		@Override
		public SseSubscription subscribe(String topic, Predicate<? super SseItem<?>> filter) {
			this.audit.add("subscribe " + topic);
			return this.delegate.subscribe(topic, filter);
		}

		@Override
		public SseBroadcaster immediate() {
			return this.delegate.immediate();
		}

	}

}
