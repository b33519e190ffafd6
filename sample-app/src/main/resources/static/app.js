'use strict';

// The sample dashboard: one EventSource per stream, plain DOM, no build step.

const MAX_ROWS = 100;
const MAX_LOG_ENTRIES = 200;

const $ = (selector) => document.querySelector(selector);

function element(tag, className, text) {
	const node = document.createElement(tag);
	if (className) {
		node.className = className;
	}
	if (text !== undefined) {
		node.textContent = text;
	}
	return node;
}

const reconnects = {};

function showState(name, state) {
	const node = $(`#${name}-state`);
	node.textContent = state;
	node.dataset.state = state;
}

/**
 * Opens an EventSource and shows its state: connecting, open or closed. The browser reconnects by
 * itself after a dropped connection, sending the last id it saw as Last-Event-ID; every open that
 * follows an error counts as a reconnect.
 */
function openStream(name, url, listeners) {
	const source = new EventSource(url);
	let failed = false;
	showState(name, 'connecting');
	source.addEventListener('open', () => {
		if (failed) {
			reconnects[name] = (reconnects[name] || 0) + 1;
			$(`#${name}-reconnects`).textContent = reconnects[name];
		}
		failed = false;
		showState(name, 'open');
	});
	source.addEventListener('error', () => {
		failed = true;
		// CONNECTING: the browser is about to retry. CLOSED: it gave up (for example on a 401).
		showState(name, source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
	});
	for (const [type, listener] of Object.entries(listeners)) {
		source.addEventListener(type, listener);
	}
	return source;
}

function closeStream(name, source) {
	source.close();
	showState(name, 'closed');
}

async function send(url, body, contentType) {
	const response = await fetch(url, {
		method: 'POST',
		headers: contentType ? { 'Content-Type': contentType } : {},
		body,
	});
	const answer = await response.json().catch(() => ({}));
	if (!response.ok) {
		throw new Error(answer.detail || `${response.status} ${response.statusText}`);
	}
	return answer;
}

/** Submits a form with the given action, showing a failure next to its button. */
function handleSubmit(form, action) {
	const error = form.querySelector('.error');
	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		error.hidden = true;
		const button = form.querySelector('button[type=submit]');
		button.disabled = true;
		try {
			await action();
		}
		catch (failure) {
			error.textContent = failure.message;
			error.hidden = false;
		}
		finally {
			button.disabled = false;
		}
	});
}

// Orders ----------------------------------------------------------------------------------------

const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
let ordersSource = null;

function showOrder(order) {
	const body = $('#orders-table tbody');
	const row = element('tr');
	row.dataset.orderId = order.orderId;
	const id = element('td', 'id', order.orderId.slice(0, 8));
	id.title = order.orderId;
	row.append(id, element('td', '', order.customer), element('td', 'num', money.format(order.amount)),
		element('td', 'time', new Date(order.placedAt).toLocaleTimeString()));
	row.classList.add('fresh');
	body.prepend(row);
	while (body.rows.length > MAX_ROWS) {
		body.lastElementChild.remove();
	}
	$('#orders .empty').hidden = true;
}

/**
 * Loads the recent orders, then follows the stream from the newest of them: the server replays
 * every later order exactly once. Called at start and whenever the stream sends a reset event,
 * which says that what the page missed cannot be replayed (the server restarted, or the page was
 * away longer than the replay buffer reaches).
 */
async function loadOrders() {
	if (ordersSource) {
		closeStream('orders', ordersSource);
		ordersSource = null;
	}
	showState('orders', 'connecting');
	let snapshot;
	try {
		const response = await fetch('/api/orders');
		if (!response.ok) {
			throw new Error(`${response.status} ${response.statusText}`);
		}
		snapshot = await response.json();
	}
	catch (failure) {
		// The server is away: try again later, as an EventSource would.
		setTimeout(loadOrders, 3000);
		return;
	}
	$('#orders-table tbody').replaceChildren();
	$('#orders .empty').hidden = snapshot.orders.length > 0;
	snapshot.orders.forEach(showOrder);
	const url = snapshot.lastEventId
		? `/api/orders/stream?lastEventId=${encodeURIComponent(snapshot.lastEventId)}`
		: '/api/orders/stream';
	ordersSource = openStream('orders', url, {
		order: (event) => showOrder(JSON.parse(event.data)),
		reset: (event) => {
			const note = $('#orders-note');
			note.textContent = `Reloaded the orders: the stream could not replay what was missed (${event.data}).`;
			note.hidden = false;
			loadOrders();
		},
	});
}

handleSubmit($('#order-form'), async () => {
	const amount = $('#order-amount');
	await send('/api/orders', JSON.stringify({
		customer: $('#order-customer').value,
		amount: Number(amount.value),
	}), 'application/json');
	amount.value = '';
});

// Ticker ----------------------------------------------------------------------------------------

function showQuote(quote) {
	const body = $('#ticker-table tbody');
	let row = body.querySelector(`tr[data-symbol="${CSS.escape(quote.symbol)}"]`);
	if (!row) {
		row = element('tr');
		row.dataset.symbol = quote.symbol;
		row.append(element('th', 'symbol', quote.symbol), element('td', 'num price'), element('td', 'time'));
		body.append(row);
	}
	const price = row.querySelector('.price');
	const previous = Number(price.dataset.value);
	price.textContent = money.format(quote.price);
	price.dataset.value = quote.price;
	price.classList.toggle('up', quote.price > previous);
	price.classList.toggle('down', quote.price < previous);
	row.querySelector('.time').textContent = new Date(quote.at).toLocaleTimeString();
}

// Log tail --------------------------------------------------------------------------------------

function showLog(text) {
	const tail = $('#log-tail');
	tail.querySelector('.empty')?.remove();
	// One <pre> per event: its data is the posted text as is, line breaks included.
	tail.append(element('pre', '', text));
	while (tail.children.length > MAX_LOG_ENTRIES) {
		tail.firstElementChild.remove();
	}
	tail.scrollTop = tail.scrollHeight;
}

handleSubmit($('#log-form'), async () => {
	const text = $('#log-text');
	await send('/api/logs', text.value, 'text/plain');
	text.value = '';
});

$('#log-text').addEventListener('keydown', (event) => {
	if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
		event.preventDefault();
		$('#log-form').requestSubmit();
	}
});

// Job progress ----------------------------------------------------------------------------------

let jobSource = null;

let jobLabel = '';

function showProgress(progress) {
	$('#job-bar-fill').style.width = `${progress.percent}%`;
	$('#job .bar').setAttribute('aria-valuenow', progress.percent);
	$('#job-percent').textContent = progress.percent;
	$('#job-status').textContent = `${jobLabel} ${progress.status}`;
	$('#job .bar').classList.toggle('done', progress.status === 'done');
}

$('#job-start').addEventListener('click', async () => {
	if (jobSource) {
		closeStream('job', jobSource);
	}
	jobLabel = 'Job';
	showProgress({ percent: 0, status: 'starting' });
	const { jobId } = await send('/api/jobs');
	jobLabel = `Job ${jobId.slice(0, 8)}`;
	jobSource = openStream('job', `/api/jobs/${encodeURIComponent(jobId)}/progress`, {
		// After done the server ends the stream; the browser reconnects with the id of done and gets 204,
		// which closes the EventSource for good.
		progress: (event) => showProgress(JSON.parse(event.data)),
	});
});

// Assistant -------------------------------------------------------------------------------------

let answerSource = null;

let answerTokens = 0;

function showAnswerStatus(status) {
	$('#answer-status').textContent = status;
	$('#answer').dataset.status = status;
}

/**
 * Asks the question and shows the answer as its tokens stream in. The stream is resumable: when the
 * connection drops, the browser reconnects with the last event id and the server sends the rest of
 * the same answer. Tokens are shown as they come, so one lost or repeated would show.
 */
$('#answer-form').addEventListener('submit', (event) => {
	event.preventDefault();
	if (answerSource) {
		closeStream('answer', answerSource);
	}
	answerTokens = 0;
	$('#answer-text').replaceChildren();
	$('#answer-tokens').textContent = 0;
	$('#answer-id').textContent = 'none yet';
	$('#answer-note').hidden = true;
	$('#answer-drop').disabled = false;
	showAnswerStatus('waiting');
	const question = $('#answer-question').value;
	answerSource = openStream('answer', `/api/answers/stream?q=${encodeURIComponent(question)}`, {
		token: (event) => {
			const token = JSON.parse(event.data);
			$('#answer-id').textContent = token.answerId.slice(0, 8);
			$('#answer-id').title = token.answerId;
			$('#answer-text').append(token.text);
			$('#answer-tokens').textContent = ++answerTokens;
			showAnswerStatus('streaming');
		},
		// The server then ends the stream; the browser reconnects with the id of done and gets 204,
		// which closes the EventSource for good.
		done: () => {
			showAnswerStatus('complete');
			$('#answer-drop').disabled = true;
		},
	});
});

// Ends every open stream on the server, as a restart or a flaky network would: each EventSource on
// the page reconnects by itself and carries on where it was.
$('#answer-drop').addEventListener('click', async () => {
	const note = $('#answer-note');
	try {
		const response = await fetch('/actuator/sse', { method: 'DELETE' });
		if (!response.ok) {
			throw new Error(`HTTP ${response.status}`);
		}
		const { closedConnections } = await response.json().catch(() => ({}));
		const ended = Number.isInteger(closedConnections) ? `${closedConnections} streams` : 'every stream';
		note.textContent = `The server ended ${ended}; the browser reconnects with Last-Event-ID.`;
	}
	catch (failure) {
		note.textContent = `Could not drop the connections: ${failure.message}`;
	}
	note.hidden = false;
});

// Notifications ---------------------------------------------------------------------------------

function showNotification(notification) {
	const item = element('li');
	item.append(element('span', 'message', notification.message),
		element('span', notification.to ? 'badge personal' : 'badge', notification.to ? `to ${notification.to}` : 'to everyone'),
		element('span', 'time', new Date().toLocaleTimeString()));
	$('#notification-list').prepend(item);
	while ($('#notification-list').children.length > MAX_ROWS) {
		$('#notification-list').lastElementChild.remove();
	}
}

handleSubmit($('#notification-form'), async () => {
	const message = $('#notification-message');
	await send('/api/notifications', JSON.stringify({
		to: $('#notification-to').value || null,
		message: message.value,
	}), 'application/json');
	message.value = '';
});

// Sign-in ---------------------------------------------------------------------------------------

async function loadSession() {
	const session = await fetch('/api/session').then((response) => response.json());
	// The login and logout forms post to Spring Security, which wants the session's CSRF token.
	for (const input of document.querySelectorAll('input.csrf')) {
		input.name = session.csrfParameter;
		input.value = session.csrfToken;
	}
	const signedIn = session.user !== null;
	$('#login-form').hidden = signedIn;
	$('#logout-form').hidden = !signedIn;
	$('#login-error').hidden = !new URLSearchParams(location.search).has('error');
	$('#notification-form').hidden = !signedIn;
	$('#notifications-signed-out').hidden = signedIn;
	if (signedIn) {
		$('#signed-in-user').textContent = session.user;
		// EventSource sends the session cookie, so the stream knows the user.
		openStream('notifications', '/api/notifications/stream', {
			notification: (event) => showNotification(JSON.parse(event.data)),
		});
	}
	document.body.dataset.user = session.user ?? '';
}

// Start -----------------------------------------------------------------------------------------

loadOrders();
openStream('ticker', '/api/ticker/stream', { quote: (event) => showQuote(JSON.parse(event.data)) });
openStream('logs', '/api/logs/stream', { log: (event) => showLog(event.data) });
loadSession();
