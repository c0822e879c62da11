// The login page: says so when the last token given was wrong (the server sends /login?failed).
(function () {
  'use strict';
  if (new URLSearchParams(window.location.search).has('failed')) {
    document.getElementById('failed').hidden = false;
  }
}());
