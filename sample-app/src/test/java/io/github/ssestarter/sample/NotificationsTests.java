package io.github.ssestarter.sample;

import java.net.http.HttpResponse;

import io.github.ssestarter.sample.SampleClient.EventStream;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static io.github.ssestarter.sample.SampleClient.ALICE;
import static io.github.ssestarter.sample.SampleClient.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notifications over real HTTP: authentication, and per-user delivery live and in replay.
 */
class NotificationsTests extends AbstractSampleTests {

	@ParameterizedTest
	@ValueSource(strings = { "text/event-stream", "*/*" })
	void streamWithoutCredentialsIsRefusedWith401(String accept) {
		HttpResponse<String> response = this.client.get("/api/notifications/stream", "Accept", accept);
		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Test
	void scriptsWithoutCredentialsAreChallengedForBasicButEventSourcesAreNot() {
		assertThat(this.client.get("/api/notifications/stream").headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Basic realm=\"sse-sample\""));
		assertThat(this.client.get("/api/notifications/stream", "Accept", "text/event-stream")
			.headers()
			.firstValue("WWW-Authenticate")).isEmpty();
	}

	@Test
	void streamWithWrongPasswordIsRefusedWith401() {
		try (EventStream stream = this.client.stream("/api/notifications/stream", "Authorization",
				SampleClient.basic("alice", "bob"))) {
			assertThat(stream.status()).isEqualTo(401);
		}
	}

	@Test
	void sendingWithoutCredentialsIsRefusedWith401() {
		assertThat(this.client.postJson("/api/notifications", "{\"message\": \"hi\"}").statusCode()).isEqualTo(401);
	}

	@Test
	void addressedNotificationReachesOnlyItsUserAndOneWithoutReachesEveryone() {
		String marker = send(ALICE, null, "marker");
		try (EventStream alice = this.client.stream("/api/notifications/stream", "Authorization", ALICE,
				"Last-Event-ID", marker);
				EventStream bob = this.client.stream("/api/notifications/stream", "Authorization", BOB,
						"Last-Event-ID", marker)) {
			assertThat(alice.status()).isEqualTo(200);
			assertThat(bob.status()).isEqualTo(200);
			String forBob = send(ALICE, "bob", "for bob");
			String forAll = send(ALICE, null, "for everyone");

			SseEvent first = bob.next();
			assertThat(first.eventType()).isEqualTo("notification");
			assertThat(first.lastEventId()).isEqualTo(forBob);
			assertNotification(first, "for bob", "bob");
			assertThat(bob.next().lastEventId()).isEqualTo(forAll);

			// Alice's first event is the one for everyone: Bob's never reached her.
			SseEvent aliceFirst = alice.next();
			assertThat(aliceFirst.lastEventId()).isEqualTo(forAll);
			assertNotification(aliceFirst, "for everyone", null);
		}
	}

	@Test
	void addressedNotificationsAreReplayedOnlyToTheirUser() {
		String marker = send(BOB, null, "marker");
		String forBob = send(ALICE, "bob", "replayed to bob");
		String forAlice = send(BOB, "alice", "replayed to alice");
		try (EventStream alice = this.client.stream("/api/notifications/stream", "Authorization", ALICE,
				"Last-Event-ID", marker);
				EventStream bob = this.client.stream("/api/notifications/stream", "Authorization", BOB,
						"Last-Event-ID", marker)) {
			SseEvent replayedToAlice = alice.next();
			assertThat(replayedToAlice.lastEventId()).isEqualTo(forAlice);
			assertNotification(replayedToAlice, "replayed to alice", "alice");

			SseEvent replayedToBob = bob.next();
			assertThat(replayedToBob.lastEventId()).isEqualTo(forBob);
			assertNotification(replayedToBob, "replayed to bob", "bob");
			// Alice's was not replayed to Bob: his next event is the next one for everyone.
			String forAll = send(ALICE, null, "live");
			assertThat(bob.next().lastEventId()).isEqualTo(forAll);
			assertThat(alice.next().lastEventId()).isEqualTo(forAll);
		}
	}

	@Test
	void invalidNotificationsAreRefusedWith400() {
		assertThat(this.client.postJson("/api/notifications", "{\"to\": \"bob\"}", "Authorization", ALICE)
			.statusCode()).isEqualTo(400);
		assertThat(this.client.postJson("/api/notifications", "{\"message\": \" \"}", "Authorization", ALICE)
			.statusCode()).isEqualTo(400);
		HttpResponse<String> unknownUser = this.client.postJson("/api/notifications",
				"{\"to\": \"carol\", \"message\": \"hi\"}", "Authorization", ALICE);
		assertThat(unknownUser.statusCode()).isEqualTo(400);
		assertThat(this.client.json(unknownUser).get("detail").asString()).isEqualTo("No user 'carol'");
	}

	private String send(String authorization, String to, String message) {
		String body = (to != null) ? "{\"to\": \"" + to + "\", \"message\": \"" + message + "\"}"
				: "{\"message\": \"" + message + "\"}";
		HttpResponse<String> response = this.client.postJson("/api/notifications", body, "Authorization",
				authorization);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		JsonNode answer = this.client.json(response);
		assertThat(answer.propertyNames()).containsExactly("id");
		return answer.get("id").asString();
	}

	private void assertNotification(SseEvent event, String message, String to) {
		JsonNode notification = this.client.json(event);
		assertThat(notification.propertyNames()).containsExactlyInAnyOrder("message", "to");
		assertThat(notification.get("message").asString()).isEqualTo(message);
		if (to != null) {
			assertThat(notification.get("to").asString()).isEqualTo(to);
		}
		else {
			assertThat(notification.get("to").isNull()).isTrue();
		}
	}

}
