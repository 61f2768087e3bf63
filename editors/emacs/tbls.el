;;; tbls.el --- Tinybird datafiles and the tbls language server with Eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages, tools
;; URL: https://github.com/tbls-dev/tbls

;;; Commentary:

;; tbls checks Tinybird resources: token names and scopes in Go code that
;; uses github.com/tbls-dev/tbls/tinybird, and TOKEN lines in .datasource
;; and .pipe datafiles.  This file gives Emacs:
;;
;; - `tinybird-mode' for datafiles: # comments, quoted strings, and the
;;   directives (TOKEN, NODE, SCHEMA, SQL, TYPE, ENGINE…) highlighted;
;; - an Eglot entry that starts tbls for `tinybird-mode' buffers, so
;;   diagnostics (Flymake), scope completion, quick fixes and hover work in
;;   datafiles.
;;
;; Install tbls with
;;   go install github.com/tbls-dev/tbls/cmd/tbls@latest
;; put this file on your `load-path', then in your init file:
;;   (require 'tbls)
;;   (add-hook 'tinybird-mode-hook #'eglot-ensure)
;;
;; Go buffers: Eglot runs one server per major mode and project, and
;; `go-mode' already has gopls.  tbls does not replace gopls, so to get
;; tbls's Go diagnostics as well either run both behind an LSP multiplexer
;; such as rassumfrassum:
;;   (add-to-list 'eglot-server-programs
;;                '((go-mode go-ts-mode) . ("rass" "--" "gopls" "--" "tbls")))
;; or, if you do not want gopls, give go-mode tbls alone (for every Go buffer):
;;   (add-to-list 'eglot-server-programs '((go-mode go-ts-mode) . ("tbls")))

;;; Code:

(defgroup tbls nil
  "Tinybird datafiles and the tbls language server."
  :group 'languages
  :prefix "tbls-")

(defcustom tbls-program '("tbls")
  "Command that starts the tbls language server: the program, then its arguments.
The program is looked up on the variable `exec-path' unless it is an
absolute file name.
Add \"-logfile\" \"/tmp/tbls.log\" to keep the server's log."
  :type '(repeat string)
  :group 'tbls)

(defconst tinybird--directives
  '("BACKFILL" "CACHE" "COPY_MODE" "COPY_SCHEDULE" "DATASOURCE"
    "DEPLOYMENT_METHOD" "DESCRIPTION" "ENGINE" "FILTER" "FORWARD_QUERY"
    "INCLUDE" "INDEXES" "INDICES" "MODE" "NODE" "PARTITION_KEY" "PRIMARY_KEY"
    "RESOURCE" "SAMPLING_KEY" "SCHEMA" "SCOPE" "SHARED_WITH" "SORTING_KEY"
    "SOURCE" "SQL" "TAGS" "TARGET_DATASOURCE" "TOKEN" "TTL" "TYPE" "VERSION")
  "Directives of Tinybird datafiles, as the Tinybird CLI knows them.
ENGINE_*, KAFKA_*, IMPORT_*, EXPORT_*, S3_* and GCS_* families are
matched by prefix in `tinybird-font-lock-keywords'.")

(defconst tinybird-font-lock-keywords
  (let ((directive (concat "^\\(" (regexp-opt tinybird--directives)
                           "\\|\\(?:ENGINE\\|KAFKA\\|IMPORT\\|EXPORT\\|S3\\|GCS\\)_[A-Z0-9_]+"
                           "\\)\\_>")))
    `(;; TOKEN name SCOPE: the name as a variable, the scope as a constant.
      ("^\\(TOKEN\\)[ \t]+\\([^ \t\n#]+\\)\\(?:[ \t]+\\([A-Za-z_]+\\)\\)?"
       (1 font-lock-keyword-face)
       (2 font-lock-variable-name-face)
       (3 font-lock-constant-face nil t))
      ;; NODE name: the node as a function, like a definition.
      ("^\\(NODE\\)[ \t]+\\([^ \t\n#]+\\)"
       (1 font-lock-keyword-face)
       (2 font-lock-function-name-face))
      ;; TYPE endpoint|materialized|copy|sink…
      ("^\\(TYPE\\)[ \t]+\\([^ \t\n#]+\\)"
       (1 font-lock-keyword-face)
       (2 font-lock-type-face))
      (,directive 1 font-lock-keyword-face)
      ;; The > that opens a block (SQL >, SCHEMA >…).
      ("^[A-Za-z_0-9]+[ \t]+\\(>\\)[ \t]*\\(?:#\\|$\\)" 1 font-lock-builtin-face)
      ;; Tinybird templates in SQL: {{ … }} and {% … %}.
      ("{[{%].*?[}%]}" 0 font-lock-preprocessor-face t)))
  "Highlighting for `tinybird-mode'.
Directives start in column 0 and match without regard to case, as the
Tinybird CLI reads them.")

(defvar tinybird-mode-syntax-table
  (let ((table (make-syntax-table)))
    ;; # starts a comment that runs to the end of the line, outside quotes.
    (modify-syntax-entry ?# "<" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?' "\"" table)
    (modify-syntax-entry ?_ "_" table)
    table)
  "Syntax table for `tinybird-mode'.")

;;;###autoload
(define-derived-mode tinybird-mode prog-mode "Tinybird"
  "Major mode for Tinybird datafiles (.datasource and .pipe files)."
  :syntax-table tinybird-mode-syntax-table
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+[ \t]*")
  (setq-local comment-end "")
  (setq-local font-lock-defaults '(tinybird-font-lock-keywords nil t))
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width 4))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.\\(datasource\\|pipe\\)\\'" . tinybird-mode))

(defun tbls--contact (_interactive)
  "Return `tbls-program' for `eglot-server-programs'.
A function rather than a list, so that a change to `tbls-program' takes
effect the next time a server starts."
  tbls-program)

(defun tbls--module-root (dir)
  "Return the nearest directory at or above DIR with a go.work, else a go.mod."
  (or (locate-dominating-file dir "go.work")
      (locate-dominating-file dir "go.mod")))

(defvar eglot-lsp-context)

(defun tbls-project-find (dir)
  "Give Eglot the Go module holding DIR as the project of a datafile.
tbls reads the Go code of the module (go.work, else go.mod) that holds
a datafile, so that is its root; outside Eglot's search, and outside
`tinybird-mode', this returns nil and other project backends decide."
  (when (and (bound-and-true-p eglot-lsp-context)
             (derived-mode-p 'tinybird-mode))
    (let ((root (tbls--module-root dir)))
      (when root
        (cons 'transient (expand-file-name root))))))

(with-eval-after-load 'project
  (add-hook 'project-find-functions #'tbls-project-find))

(defvar eglot-server-programs)

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '(tinybird-mode . tbls--contact)))

(provide 'tbls)

;;; tbls.el ends here
