package io.github.ssestarter.internal.broadcast;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.ssestarter.PropertyChecks.Shrinker;
import io.github.ssestarter.PropertyChecks;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.SseOverflowPolicy;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import io.github.ssestarter.wire.SseEvent;
import io.github.ssestarter.wire.SseParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model-based test of {@link DefaultSseBroadcaster}, driven directly, without HTTP: each run is
 * a random sequence of steps (publishing to everyone, to some users, or events that some clients
 * filter out; new clients; clients that disconnect and resume with the last id they saw, or with
 * an id that cannot be replayed, at once or after a while; subscriptions prepared and abandoned;
 * clients that turn busy and writable again; the server closing a topic's connections; idle
 * topics retired) against a broadcaster with tiny buffers, so that rings wrap, busy clients overflow
 * and old ids are evicted. Each client is an in-memory {@link SseSink} that parses what it is sent
 * with {@link SseParser} and remembers its last event id as a browser does.
 *
 * <p>After every step each connection is checked against a model of the topic's log: a connection
 * gets, in order and without a gap or a duplicate, exactly the events it may see (addressed to
 * everyone or to its user, and passing its filter) published after the point it resumed from, or,
 * when that point cannot be replayed, a reset event first and then every such event published
 * after the reset; a client that sent no id first learns the topic's newest id. A writable
 * connection has everything published so far. Whether a resume is replayed or reset is predicted
 * too (an id from a retired topic or never issued is reset; one that missed more events than the
 * replay capacity is reset as evicted; with a replay age that is never reached, one within the
 * capacity is replayed), and so are subscriber counts, buffer sizes, topic names and when an idle
 * topic is retired. A failing run is shrunk, step by step, to a shorter one that still fails.
 */
class BroadcasterModelTests {

	private static final List<String> TOPICS = List.of("t0", "t1");

	private static final List<String> USERS = List.of("alice", "bob");

	private static final int CLIENTS = 5;

	private static final int STEPS = 60;

	@Test
	void everyConnectionGetsItsEventsWithoutGapOrDuplicateOrAResetFirst() {
		Coverage coverage = new Coverage();
		PropertyChecks.forAll(300, (random) -> Run.generate(random, SseOverflowPolicy.DISCONNECT), Run.SHRINKER,
				(run) -> new Model(run, coverage).run());
		// The runs reached what they are meant to test.
		assertThat(coverage.counts).containsKeys("reset evicted", "reset other-epoch", "reset unknown-id",
				"replayed from ring", "overflow", "retired", "busy write", "server close");
	}

	@Test
	void dropOldestSkipsEventsOnlyForBusyConnectionsAndNeverRepeatsOrReordersThem() {
		Coverage coverage = new Coverage();
		PropertyChecks.forAll(150, (random) -> Run.generate(random, SseOverflowPolicy.DROP_OLDEST), Run.SHRINKER,
				(run) -> new Model(run, coverage).run());
		assertThat(coverage.counts).containsKeys("dropped", "reset evicted", "replayed from ring", "retired")
			.doesNotContainKey("overflow");
	}

	/** Counts what the runs of one property reached. */
	static final class Coverage {

		final Map<String, Integer> counts = new HashMap<>();

		void count(String what) {
			this.counts.merge(what, 1, Integer::sum);
		}

	}

	// Steps

	/** One thing that happens to the broadcaster or its clients. */
	sealed interface Step permits Publish, Connect, Reconnect, Start, Abandon, Disconnect, Busy, Writable, Retire,
			CloseSubscribers {

	}

	/**
	 * Publishes an event of type {@code tick}, or {@code skip} (which filtering clients leave out),
	 * to everyone or to some users.
	 */
	record Publish(int topic, int audience, boolean skip, boolean multiline) implements Step {

	}

	/**
	 * A new browser (no last event id) connects, for a user or anonymous, filtering or not, and
	 * maybe too slow to take anything at first.
	 */
	record Connect(int client, int topic, int user, boolean filtering, boolean busy) implements Step {

	}

	/**
	 * A disconnected client reconnects, sending the last event id it saw (or a bogus one: 1 for
	 * garbage, 2 for an id of another epoch, 3 for an id far from issued yet), and its stream starts at
	 * once or, when deferred, at a later {@link Start} (or never, with {@link Abandon}); it may be
	 * too slow to take anything at first.
	 */
	record Reconnect(int client, int bogus, boolean deferred, boolean busy) implements Step {

	}

	/** A prepared subscription starts on its connection. */
	record Start(int client) implements Step {

	}

	/** A prepared subscription is given up: its stream is refused. */
	record Abandon(int client) implements Step {

	}

	/** The client goes away. */
	record Disconnect(int client) implements Step {

	}

	/** The client stops reading: writes are refused as busy. */
	record Busy(int client) implements Step {

	}

	/** The client reads again: the writable callback runs if a write was refused. */
	record Writable(int client) implements Step {

	}

	/** The sweeper retires idle topics. */
	record Retire() implements Step {

	}

	/** The server ends every connection of a topic normally. */
	record CloseSubscribers(int topic) implements Step {

	}

	/** The settings of a broadcaster and the steps to take with it. */
	record Run(BroadcastSettings settings, List<Step> steps) {

		static final Shrinker<Run> SHRINKER = (run) -> Shrinker.<Step>list(Shrinker.none())
			.candidates(run.steps())
			.map((steps) -> new Run(run.settings(), steps));

		static Run generate(SplittableRandom random, SseOverflowPolicy policy) {
			int replayCapacity = random.nextInt(6);
			int queueCapacity = 1 + random.nextInt(3);
			// A replay age never reached makes every outcome predictable; with none at all, nothing
			// missed is replayed and every topic without subscribers is retired.
			Duration maxAge = (random.nextBoolean()) ? Duration.ofHours(1) : Duration.ZERO;
			String resetType = (random.nextBoolean()) ? "reset" : "gap";
			BroadcastSettings settings = new BroadcastSettings(replayCapacity, maxAge, resetType, queueCapacity, policy);
			List<Step> steps = new ArrayList<>();
			for (int i = 0; i < STEPS; i++) {
				steps.add(step(random));
			}
			return new Run(settings, steps);
		}

		private static Step step(SplittableRandom random) {
			int client = random.nextInt(CLIENTS);
			int topic = random.nextInt(TOPICS.size());
			int kind = random.nextInt(100);
			if (kind < 30) {
				int audience = (random.nextInt(4) == 0) ? 1 + random.nextInt(3) : 0;
				return new Publish(topic, audience, random.nextInt(5) == 0, random.nextInt(5) == 0);
			}
			if (kind < 38) {
				return new Connect(client, topic, random.nextInt(USERS.size() + 1), random.nextInt(4) == 0,
						random.nextInt(6) == 0);
			}
			if (kind < 52) {
				int bogus = (random.nextInt(10) == 0) ? 1 + random.nextInt(3) : 0;
				return new Reconnect(client, bogus, random.nextInt(5) == 0, random.nextInt(6) == 0);
			}
			if (kind < 56) {
				return new Start(client);
			}
			if (kind < 58) {
				return new Abandon(client);
			}
			if (kind < 66) {
				return new Disconnect(client);
			}
			if (kind < 76) {
				return new Busy(client);
			}
			if (kind < 88) {
				return new Writable(client);
			}
			if (kind < 96) {
				return new Retire();
			}
			return new CloseSubscribers(topic);
		}

		@Override
		public String toString() {
			return this.settings + "\n" + IntStream.range(0, this.steps.size())
				.mapToObj((i) -> "  " + (i + 1) + ". " + this.steps.get(i))
				.collect(Collectors.joining("\n"));
		}

	}

	// The model

	/** One published event, as the model keeps it. */
	record Entry(int index, String id, int incarnation, String type, String data, Set<String> users) {

	}

	/** What the model knows of a topic: every event published to its name, and its current life. */
	static final class TopicModel {

		final String name;

		/** Every event published under this name, through every life of the topic. */
		final List<Entry> log = new ArrayList<>();

		final Map<String, Entry> byId = new HashMap<>();

		boolean exists;

		/** The topic's current life, counted from 0; -1 before it is first used. */
		int incarnation = -1;

		/** Index in the log of the first event of the current life. */
		int incarnationStart;

		/** The epoch in the ids of the current life, once seen. */
		String epoch;

		/** Subscriptions prepared but neither started nor abandoned. */
		int prepared;

		TopicModel(String name) {
			this.name = name;
		}

		/** Events published in the current life. */
		int sequence() {
			return this.log.size() - this.incarnationStart;
		}

	}

	enum ClientState {

		/** Never connected. */
		NEW,

		/** Between connections. */
		DISCONNECTED,

		/** Its subscription is prepared but not started. */
		PREPARED,

		/** Connected. */
		CONNECTED

	}

	/** A browser: its topic, user and filter, the last event id it saw, and its connection. */
	static final class Client {

		final int index;

		ClientState state = ClientState.NEW;

		int topic;

		String user;

		boolean filtering;

		/** The last event id this browser saw, or {@code null}. */
		String lastId;

		/** Index in the topic's log just past what the last id stands for. */
		int lastPosition;

		/** The topic's life in which the last id was issued. */
		int lastIncarnation;

		TopicSubscription subscription;

		Consumer<SseSink> starter;

		Model.Connection connection;

		Client(int index) {
			this.index = index;
		}

		boolean sees(Entry entry) {
			boolean addressed = entry.users() == null || (this.user != null && entry.users().contains(this.user));
			return addressed && !(this.filtering && entry.type().equals("skip"));
		}

		Predicate<SseItem<?>> filter() {
			return this.filtering ? (item) -> !"skip".equals(item.eventType()) : (item) -> true;
		}

	}

	/** Whether a resuming client may or must get a reset event. */
	enum Reset {

		MUST, MAY, MUST_NOT

	}

	/** Runs the steps of one run against a fresh broadcaster, checking the model after each. */
	final class Model {

		final Run run;

		final Coverage coverage;

		final DefaultSseBroadcaster broadcaster;

		final List<TopicModel> topics = TOPICS.stream().map(TopicModel::new).toList();

		final List<Client> clients = IntStream.range(0, CLIENTS).mapToObj(Client::new).toList();

		/** Every epoch seen in this run, to check that each life of each topic has its own. */
		final Set<String> epochs = new HashSet<>();

		/** What the listener was last told of a resumption. */
		String replayedOutcome;

		long replayedCount;

		int stepNumber;

		Model(Run run, Coverage coverage) {
			this.run = run;
			this.coverage = coverage;
			SseListener listener = new SseListener() {

				@Override
				public void replayed(String topic, String outcome, long replayed) {
					Model.this.replayedOutcome = outcome;
					Model.this.replayedCount = replayed;
				}

				@Override
				public void eventsDropped(String topic, String reason, long count) {
					if (reason.equals("drop-oldest")) {
						Model.this.coverage.count("dropped");
					}
				}

			};
			this.broadcaster = new DefaultSseBroadcaster(new SseFrameEncoder(String::valueOf), run.settings(), listener);
		}

		/**
		 * One connection: the sink the broadcaster writes to, and what the model expects of it.
		 */
		final class Connection implements SseSink {

			final Client client;

			final TopicModel topic;

			/** The id the client sent, or {@code null}. */
			final String sentId;

			/** Where, in the topic's log, the sent id stands. */
			final int sentPosition;

			final int sentIncarnation;

			/** Which bogus id the client sent instead of its own, 0 for none. */
			final int bogus;

			/** Why the broadcaster reset the client, as the model predicts it. */
			String resetReason;

			/** The log's size, and the topic's life, when the stream started. */
			int startSize;

			int startIncarnation;

			/** What the broadcaster told its listener of the resumption: "reset", "recovered" or null. */
			String declared;

			long declaredReplayed;

			final SseParser parser;

			final List<SseEvent> events = new ArrayList<>();

			/** Frames written but not yet checked: they are checked after the step that wrote them. */
			final List<byte[]> inbox = new ArrayList<>();

			int observations;

			/** Index in the log from which the next event must come; -1 until known. */
			int cursor = -1;

			boolean busy;

			boolean refusedWhileBusy;

			boolean everRefused;

			boolean closed;

			boolean overflowed;

			boolean closedByServer;

			int writesAfterClose;

			Runnable writable;

			final List<Runnable> closeActions = new ArrayList<>();

			Connection(Client client, TopicModel topic, String sentId, int sentPosition, int sentIncarnation, int bogus) {
				this.client = client;
				this.topic = topic;
				this.sentId = sentId;
				this.sentPosition = sentPosition;
				this.sentIncarnation = sentIncarnation;
				this.bogus = bogus;
				this.parser = new SseParser(this.events::add);
			}

			@Override
			public Result write(List<byte[]> frames) {
				check(!frames.isEmpty(), "write with no frames");
				if (this.closed) {
					this.writesAfterClose++;
					check(this.writesAfterClose == 1, "write after the sink reported CLOSED");
					return Result.CLOSED;
				}
				if (this.busy) {
					this.refusedWhileBusy = true;
					this.everRefused = true;
					coverage.count("busy write");
					return Result.BUSY;
				}
				this.inbox.addAll(frames);
				return Result.WRITTEN;
			}

			@Override
			public void onWritable(Runnable callback) {
				this.writable = callback;
			}

			@Override
			public void closeForOverflow() {
				check(this.busy, "a writable connection was closed for overflow");
				check(Model.this.run.settings().overflowPolicy() == SseOverflowPolicy.DISCONNECT,
						"closed for overflow under " + Model.this.run.settings().overflowPolicy());
				coverage.count("overflow");
				this.overflowed = true;
				end();
			}

			@Override
			public void close() {
				this.closedByServer = true;
				end();
			}

			void end() {
				if (!this.closed) {
					this.closed = true;
					this.closeActions.forEach(Runnable::run);
				}
			}

			@Override
			public void onClose(Runnable action) {
				if (this.closed) {
					action.run();
				}
				else {
					this.closeActions.add(action);
				}
			}

			@Override
			public Executor executor() {
				return Runnable::run;
			}

			@Override
			public String toString() {
				return "connection of client " + this.client.index + " to " + this.topic.name + " (sent id "
						+ this.sentId + ", started at log size " + this.startSize + ", " + this.observations
						+ " frames seen, cursor " + this.cursor + ")";
			}

		}

		void run() {
			for (Step step : this.run.steps()) {
				this.stepNumber++;
				take(step);
				for (Client client : this.clients) {
					if (client.connection != null) {
						observe(client.connection);
					}
					if (client.state == ClientState.CONNECTED && client.connection.closed) {
						client.state = ClientState.DISCONNECTED;
						if (client.connection.closedByServer) {
							this.coverage.count("server close");
						}
					}
				}
				checkInvariants();
			}
		}

		private void take(Step step) {
			if (step instanceof Publish publish) {
				publish(this.topics.get(publish.topic()), publish);
			}
			else if (step instanceof Connect connect) {
				Client client = this.clients.get(connect.client());
				if (client.state != ClientState.CONNECTED && client.state != ClientState.PREPARED) {
					client.topic = connect.topic();
					client.user = (connect.user() == 0) ? null : USERS.get(connect.user() - 1);
					client.filtering = connect.filtering();
					client.lastId = null;
					prepare(client, 0, connect.busy());
					start(client);
				}
			}
			else if (step instanceof Reconnect reconnect) {
				Client client = this.clients.get(reconnect.client());
				if (client.state == ClientState.DISCONNECTED) {
					prepare(client, reconnect.bogus(), reconnect.busy());
					if (!reconnect.deferred()) {
						start(client);
					}
				}
			}
			else if (step instanceof Start start) {
				Client client = this.clients.get(start.client());
				if (client.state == ClientState.PREPARED) {
					start(client);
				}
			}
			else if (step instanceof Abandon abandon) {
				Client client = this.clients.get(abandon.client());
				if (client.state == ClientState.PREPARED) {
					client.subscription.abandon();
					this.topics.get(client.topic).prepared--;
					client.state = ClientState.DISCONNECTED;
					client.connection = null;
				}
			}
			else if (step instanceof Disconnect disconnect) {
				Client client = this.clients.get(disconnect.client());
				if (client.state == ClientState.CONNECTED) {
					client.connection.end();
				}
			}
			else if (step instanceof Busy busy) {
				Client client = this.clients.get(busy.client());
				if (client.state == ClientState.CONNECTED) {
					client.connection.busy = true;
				}
			}
			else if (step instanceof Writable writable) {
				Client client = this.clients.get(writable.client());
				if (client.state == ClientState.CONNECTED && client.connection.busy) {
					Connection connection = client.connection;
					connection.busy = false;
					if (connection.refusedWhileBusy) {
						connection.refusedWhileBusy = false;
						check(connection.writable != null, "no writable callback registered");
						connection.writable.run();
					}
				}
			}
			else if (step instanceof Retire) {
				retire();
			}
			else if (step instanceof CloseSubscribers close) {
				TopicModel topic = this.topics.get(close.topic());
				int open = openConnections(topic);
				int closed = this.broadcaster.closeSubscribers(topic.name);
				check(closed == open, "closeSubscribers ended " + closed + " connections of " + topic.name + ", not "
						+ open);
				check(openConnections(topic) == 0, "connections of " + topic.name + " left open");
			}
		}

		private void publish(TopicModel topic, Publish publish) {
			ensureExists(topic);
			String type = publish.skip() ? "skip" : "tick";
			String data = "event " + (topic.log.size() + 1) + (publish.multiline() ? "\r\nsecond line\n" : "");
			SseItem<String> item = SseItem.of(type, data);
			Set<String> users = switch (publish.audience()) {
				case 0 -> null;
				case 1 -> Set.of("alice");
				case 2 -> Set.of("bob");
				default -> Set.of("alice", "bob");
			};
			String id = (users != null) ? this.broadcaster.publishToUsers(topic.name, users, item)
					: this.broadcaster.publish(topic.name, item);
			checkId(topic, id, topic.sequence() + 1);
			Entry entry = new Entry(topic.log.size(), id, topic.incarnation, type,
					data.replace("\r\n", "\n").replace('\r', '\n'), users);
			topic.log.add(entry);
			topic.byId.put(id, entry);
		}

		private void prepare(Client client, int bogus, boolean busy) {
			TopicModel topic = this.topics.get(client.topic);
			ensureExists(topic);
			String sentId = switch (bogus) {
				case 0 -> client.lastId;
				case 1 -> "not-an-id";
				case 2 -> "zz9other-" + Math.max(1, topic.sequence());
				// Far enough ahead that no run publishes that many events, even before a deferred start.
				default -> (topic.epoch != null) ? topic.epoch + "-" + (topic.sequence() + 1_000_000) : "1000000";
			};
			client.subscription = (TopicSubscription) this.broadcaster.subscribe(topic.name, client.filter());
			client.starter = client.subscription.prepare(sentId, client.user);
			topic.prepared++;
			client.connection = new Connection(client, topic, sentId, client.lastPosition, client.lastIncarnation,
					(sentId == null) ? 0 : bogus);
			client.connection.busy = busy;
			client.state = ClientState.PREPARED;
		}

		private void start(Client client) {
			TopicModel topic = this.topics.get(client.topic);
			Connection connection = client.connection;
			topic.prepared--;
			connection.startSize = topic.log.size();
			connection.startIncarnation = topic.incarnation;
			this.replayedOutcome = null;
			client.starter.accept(connection);
			connection.declared = this.replayedOutcome;
			connection.declaredReplayed = this.replayedCount;
			client.state = ClientState.CONNECTED;
			if (connection.sentId != null) {
				checkResumption(connection);
			}
			else {
				check(connection.declared == null, "a client without an id was told of as resuming");
			}
		}

		/** Checks what the broadcaster decided for a resuming client against what the model predicts. */
		private void checkResumption(Connection connection) {
			TopicModel topic = connection.topic;
			check(connection.declared != null, "the listener was not told of the resumption");
			Reset reset;
			String reason;
			int missed = 0;
			if (connection.bogus != 0 || connection.sentIncarnation != topic.incarnation) {
				reset = Reset.MUST;
				reason = (connection.bogus == 1 || connection.bogus == 3) ? "unknown-id" : "other-epoch";
			}
			else {
				missed = topic.log.size() - connection.sentPosition;
				reason = "evicted";
				if (missed == 0) {
					reset = Reset.MUST_NOT;
				}
				else if (missed > this.run.settings().replayCapacity()) {
					reset = Reset.MUST;
				}
				else {
					reset = this.run.settings().replayMaxAge().isZero() ? Reset.MAY : Reset.MUST_NOT;
				}
			}
			boolean wasReset = connection.declared.equals("reset");
			check(reset != Reset.MUST || wasReset, "resuming from " + connection.sentId + " must be reset ("
					+ reason + ") but was " + connection.declared);
			check(reset != Reset.MUST_NOT || !wasReset, "resuming from " + connection.sentId + " (" + missed
					+ " events missed) must be replayed but was reset");
			if (wasReset) {
				this.coverage.count("reset " + reason);
				connection.resetReason = reason;
			}
			else {
				check(connection.declaredReplayed == missed,
						"replayed " + connection.declaredReplayed + " events, not the " + missed + " missed");
				if (missed > 0) {
					this.coverage.count("replayed from ring");
				}
			}
		}

		private void retire() {
			Map<TopicModel, Boolean> idle = new HashMap<>();
			for (TopicModel topic : this.topics) {
				idle.put(topic, openConnections(topic) == 0 && topic.prepared == 0);
			}
			this.broadcaster.retireIdleTopics();
			List<String> names = this.broadcaster.topicNames();
			for (TopicModel topic : this.topics) {
				boolean retired = topic.exists && !names.contains(topic.name);
				if (retired) {
					check(idle.get(topic), topic.name + " was retired with " + openConnections(topic)
							+ " subscribers and " + topic.prepared + " prepared subscriptions");
					check(this.run.settings().replayMaxAge().isZero() || topic.sequence() == 0,
							topic.name + " was retired while its newest event is younger than the replay age");
					topic.exists = false;
					this.coverage.count("retired");
				}
				else if (topic.exists && !this.run.settings().replayMaxAge().isZero()) {
					check(!idle.get(topic) || topic.sequence() > 0,
							topic.name + " is idle and has no events but was not retired");
				}
			}
		}

		private void ensureExists(TopicModel topic) {
			if (!topic.exists) {
				topic.exists = true;
				topic.incarnation++;
				topic.incarnationStart = topic.log.size();
				topic.epoch = null;
			}
		}

		/** Checks an id the broadcaster issued in the topic's current life, learning its epoch. */
		private void checkId(TopicModel topic, String id, int sequence) {
			int dash = id.lastIndexOf('-');
			check(dash > 0 && id.substring(dash + 1).equals(Integer.toString(sequence)),
					"id " + id + " does not end with -" + sequence);
			String epoch = id.substring(0, dash);
			if (topic.epoch == null) {
				check(this.epochs.add(epoch), "epoch " + epoch + " of a new life of " + topic.name + " was used before");
				topic.epoch = epoch;
			}
			check(epoch.equals(topic.epoch), "id " + id + " is not of epoch " + topic.epoch);
		}

		/** Checks the frames a connection received in the last step, in order. */
		private void observe(Connection connection) {
			List<byte[]> frames = new ArrayList<>(connection.inbox);
			connection.inbox.clear();
			for (byte[] frame : frames) {
				String text = new String(frame, StandardCharsets.UTF_8);
				check(text.endsWith("\n\n"), "frame " + PropertyChecks.quote(text) + " is not complete");
				int before = connection.events.size();
				connection.parser.feed(frame);
				check(connection.events.size() <= before + 1, "one frame held several events: " + text);
				if (connection.events.size() == before) {
					observeIdOnly(connection, text);
				}
				else {
					observeEvent(connection, connection.events.get(before));
				}
				connection.observations++;
			}
		}

		private void observeIdOnly(Connection connection, String text) {
			String id = connection.parser.lastEventId();
			check(text.equals("id: " + id + "\n\n"), "frame without event: " + PropertyChecks.quote(text));
			check(connection.observations == 0 && connection.sentId == null,
					"id-only frame " + id + " on " + connection + " which did not start without an id");
			checkStartId(connection, id);
		}

		private void observeEvent(Connection connection, SseEvent event) {
			TopicModel topic = connection.topic;
			String resetType = this.run.settings().resetEventType();
			if (event.eventType().equals(resetType)) {
				check(connection.observations == 0 && "reset".equals(connection.declared),
						"unexpected " + event + " on " + connection);
				check(event.data().equals(connection.resetReason),
						"reset event says " + event.data() + ", not " + connection.resetReason);
				checkStartId(connection, event.lastEventId());
				return;
			}
			check(connection.observations > 0 || connection.sentId != null,
					"a client that sent no id got " + event + " before the topic's newest id");
			check(!"reset".equals(connection.declared) || connection.observations > 0,
					"a reset was declared but " + event + " came first");
			Entry entry = topic.byId.get(event.lastEventId());
			check(entry != null, event + " was never published to " + topic.name);
			if (connection.cursor < 0) {
				connection.cursor = connection.sentPosition;
			}
			int expected = nextVisible(connection, connection.cursor);
			boolean gapsAllowed = gapsAllowed(connection);
			check(entry.index() >= expected, "duplicate or out of order: got " + entry.id() + " on " + connection
					+ ", expected " + describe(topic, expected));
			check(entry.index() == expected || gapsAllowed, "gap: got " + entry.id() + " on " + connection
					+ ", expected " + describe(topic, expected));
			check(connection.client.sees(entry), connection + " got " + entry + " which it may not see");
			check(event.eventType().equals(entry.type()) && event.data().equals(entry.data()),
					"got " + event + " for " + entry);
			connection.cursor = entry.index() + 1;
			remember(connection.client, entry.id(), entry.index() + 1, entry.incarnation());
		}

		/**
		 * The id a connection starts with, on its own or on a reset event: the topic's newest id when
		 * the stream started, or {@code <epoch>-0} if the topic's current life had no event yet.
		 */
		private void checkStartId(Connection connection, String id) {
			TopicModel topic = connection.topic;
			check(connection.startIncarnation == topic.incarnation, "stream started in a life of the topic that is over");
			int lifeStart = topic.incarnationStart;
			if (connection.startSize > lifeStart) {
				check(id.equals(topic.log.get(connection.startSize - 1).id()),
						"start id " + id + ", but the newest event was " + topic.log.get(connection.startSize - 1).id());
			}
			else {
				check(id.endsWith("-0") && !topic.byId.containsKey(id), "start id " + id + " of an empty topic");
				checkId(topic, id, 0);
			}
			connection.cursor = connection.startSize;
			remember(connection.client, id, connection.startSize, connection.startIncarnation);
		}

		private void remember(Client client, String id, int position, int incarnation) {
			client.lastId = id;
			client.lastPosition = position;
			client.lastIncarnation = incarnation;
		}

		/** Index of the first event at or after {@code from} that the connection may see; the log's size if none. */
		private int nextVisible(Connection connection, int from) {
			List<Entry> log = connection.topic.log;
			int index = from;
			while (index < log.size() && !connection.client.sees(log.get(index))) {
				index++;
			}
			return index;
		}

		private void checkInvariants() {
			List<String> existing = this.topics.stream().filter((topic) -> topic.exists).map((topic) -> topic.name).toList();
			check(this.broadcaster.topicNames().equals(existing),
					"topics " + this.broadcaster.topicNames() + ", expected " + existing);
			int ring = Math.max(this.run.settings().replayCapacity(), this.run.settings().queueCapacity()) + 1;
			for (TopicModel topic : this.topics) {
				check(this.broadcaster.subscriberCount(topic.name) == openConnections(topic),
						topic.name + " has " + this.broadcaster.subscriberCount(topic.name) + " subscribers, expected "
								+ openConnections(topic));
				if (topic.exists) {
					check(this.broadcaster.bufferedEventCount(topic.name) == Math.min(topic.sequence(), ring),
							topic.name + " buffers " + this.broadcaster.bufferedEventCount(topic.name) + " events");
					TopicSnapshot snapshot = this.broadcaster.snapshot(topic.name);
					String newest = (topic.sequence() > 0) ? topic.log.get(topic.log.size() - 1).id() : null;
					check(snapshot != null && Objects.equals(snapshot.newestId(), newest),
							topic.name + " snapshot " + snapshot + ", newest id " + newest);
				}
			}
			for (Client client : this.clients) {
				if (client.state == ClientState.CONNECTED && !client.connection.busy) {
					checkUpToDate(client.connection);
				}
			}
		}

		/**
		 * A connection that can take more has everything it may see published so far; or, when the
		 * oldest events may have been dropped for it, everything among the newest the queue holds.
		 */
		private void checkUpToDate(Connection connection) {
			if (connection.sentId == null || "reset".equals(connection.declared)) {
				check(connection.observations > 0, connection + " did not get its first frame");
			}
			int cursor = (connection.cursor >= 0) ? connection.cursor : connection.sentPosition;
			if (gapsAllowed(connection)) {
				cursor = Math.max(cursor, connection.topic.log.size() - this.run.settings().queueCapacity());
			}
			int next = nextVisible(connection, cursor);
			check(next == connection.topic.log.size(),
					connection + " is writable but misses " + describe(connection.topic, next));
		}

		/** Whether events may have been dropped for the connection: it was busy under DROP_OLDEST. */
		private boolean gapsAllowed(Connection connection) {
			return this.run.settings().overflowPolicy() == SseOverflowPolicy.DROP_OLDEST && connection.everRefused;
		}

		private int openConnections(TopicModel topic) {
			return (int) this.clients.stream()
				.filter((client) -> client.state == ClientState.CONNECTED && !client.connection.closed
						&& client.connection.topic == topic)
				.count();
		}

		private String describe(TopicModel topic, int index) {
			return (index < topic.log.size()) ? topic.log.get(index).toString() : "nothing more";
		}

		private void check(boolean condition, String message) {
			if (!condition) {
				throw new AssertionError("Step " + this.stepNumber + ": " + message);
			}
		}

	}

}
