package io.github.ssestarter.sample;

import java.security.Principal;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseSubscription;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Team rooms: each team's messages are the topic {@code team:<team>}, which only its members may
 * subscribe to or post to. Who may subscribe is decided by the topic authorizer in
 * {@link SecurityConfiguration}, for first connections and for resumptions with a
 * {@code Last-Event-ID} alike; signing in is required there too.
 */
@RestController
class TeamController {

	static final int MAX_TEXT = 1000;

	private final SseBroadcaster broadcaster;

	private final Teams teams;

	TeamController(SseBroadcaster broadcaster, Teams teams) {
		this.broadcaster = broadcaster;
		this.teams = teams;
	}

	@GetMapping("/api/teams/{team}/stream")
	SseSubscription stream(@PathVariable String team) {
		return this.broadcaster.subscribe(topic(team));
	}

	@PostMapping("/api/teams/{team}/messages")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Published post(@PathVariable String team, @RequestBody PostTeamMessage message, Principal user) {
		if (!this.teams.isMember(user.getName(), team)) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Only members of team '" + team + "' may post to it");
		}
		String text = message.text();
		if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"text must not be blank and at most " + MAX_TEXT + " characters");
		}
		TeamMessage event = new TeamMessage(team, user.getName(), text);
		return new Published(this.broadcaster.publish(topic(team), SseItem.of("message", event)));
	}

	private static String topic(String team) {
		return "team:" + team;
	}

	/**
	 * A message to post.
	 *
	 * @param text what it says: not blank, at most {@value TeamController#MAX_TEXT} characters
	 */
	record PostTeamMessage(@Nullable String text) {
	}

}
