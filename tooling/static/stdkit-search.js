// Chinese search for the HTML edition, loaded before Sphinx's searchtools.js and
// language_data.js on the search page. No dependencies, works offline.
//
// 1. Sphinx 9.0's language_data.js for "zh" ends with `window.Stemmer = ChineseStemmer;`, but
//    the Chinese search ships the English stemmer only (sphinx-doc/sphinx#14229, fixed upstream
//    by #14416 in a release that needs Python >= 3.12). ChineseStemmer is that English stemmer,
//    looked up when a search runs, after language_data.js has defined it. Harmless once Sphinx
//    names EnglishStemmer itself.
// 2. The index holds words cut by jieba (特殊, 家庭, 家庭成员 …); a query typed without spaces
//    (特殊家庭) is cut the same way here: the longest indexed word at each position. Latin words
//    and numbers go through as Sphinx splits them.
"use strict";

/* exported ChineseStemmer, splitQuery */
var ChineseStemmer = function () {
  return new EnglishStemmer(); // eslint-disable-line no-undef
};

var splitQuery = (function () {
  const HAN = /[\u3400-\u9fff\uf900-\ufaff]+/gu;
  const OTHER = /[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu;
  const LONGEST = 8;

  function known(word) {
    const index = typeof Search !== "undefined" ? Search._index : null; // eslint-disable-line no-undef
    if (!index) return false;
    return Object.hasOwn(index.terms, word) || Object.hasOwn(index.titleterms, word);
  }

  // Longest indexed word at each position; a run of characters that starts no indexed word
  // is kept whole when it has two or more (Sphinx then matches it inside longer words).
  function cutHan(run) {
    const words = [];
    let unknown = "";
    let i = 0;
    while (i < run.length) {
      let found = "";
      for (let n = Math.min(LONGEST, run.length - i); n >= 2; n--) {
        const candidate = run.slice(i, i + n);
        if (known(candidate)) {
          found = candidate;
          break;
        }
      }
      if (found) {
        if (unknown.length > 1) words.push(unknown);
        unknown = "";
        words.push(found);
        i += found.length;
      } else {
        unknown += run[i];
        i += 1;
      }
    }
    if (unknown.length > 1) words.push(unknown);
    return words;
  }

  return function (query) {
    const words = [];
    for (const part of query.split(OTHER)) {
      if (!part) continue;
      let last = 0;
      for (const match of part.matchAll(HAN)) {
        if (match.index > last) words.push(part.slice(last, match.index));
        if (known(match[0])) words.push(match[0]);
        else words.push(...cutHan(match[0]));
        last = match.index + match[0].length;
      }
      if (last < part.length) words.push(part.slice(last));
    }
    return words;
  };
})();
