;;; tbls-test.el --- Drive tbls.el and Eglot in batch Emacs  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by test.sh, after tbls.el is loaded:
;;   emacs --batch -l tbls.elc -l tbls-test.el
;; with the environment variables
;;   TBLS       the tbls binary to start, first on PATH
;;   TBLS_LOG   where tbls writes its log
;;   TBLS_PIPE  a .pipe file with "TOKEN app_read APPEND" (TB201)
;;   TBLS_DATASOURCE  a .datasource file with "TOKEN ingest WRITE" (TB202)
;;   TBLS_GO    optional: a Go file granting APPEND on an endpoint (TB201),
;;              checked when go-mode is installed
;; It opens the files the way a user does, with the configuration the
;; README gives ((add-hook 'tinybird-mode-hook #'eglot-ensure)), and exits
;; with status 0 when Flymake shows tbls's TB201 on the TOKEN line of the
;; pipe, TB202 on the datasource and TB201 in the Go file, 1 otherwise.

;;; Code:

(require 'eglot)
(require 'flymake)
(require 'cl-lib)

(defvar tbls-test-timeout 60
  "Seconds to wait for the diagnostics.")

(defun tbls-test--fail (fmt &rest args)
  "Print FMT with ARGS and the servers' stderr, then exit with status 1."
  (message "FAIL: %s" (apply #'format fmt args))
  (dolist (buffer (buffer-list))
    (when (string-match-p "stderr" (buffer-name buffer))
      (message "%s:\n%s" (buffer-name buffer)
               (with-current-buffer buffer (buffer-string)))))
  (kill-emacs 1))

(defun tbls-test--getenv (name)
  "Return the environment variable NAME, or fail when it is unset."
  (or (getenv name) (tbls-test--fail "%s is not set" name)))

(defun tbls-test--open (file)
  "Visit FILE as a user does and let `eglot-ensure' connect.
`eglot-ensure' connects from `post-command-hook', which batch Emacs never
runs by itself: run it once, as the command loop would after `find-file'."
  (let ((buffer (find-file-noselect file)))
    (with-current-buffer buffer
      (unless (eq major-mode 'tinybird-mode)
        (tbls-test--fail "%s opened in %s, want tinybird-mode" file major-mode))
      (run-hooks 'post-command-hook)
      (unless (eglot-current-server)
        (tbls-test--fail "no Eglot server manages %s" file))
      (unless flymake-mode
        (tbls-test--fail "Eglot did not turn on Flymake in %s" file))
      ;; Eglot starts Flymake deferred: it waits for the buffer to show in
      ;; a window, which never happens in batch. Start it as display would.
      (flymake-start))
    buffer))

(defun tbls-test--diagnostics (buffer)
  "Return the texts of BUFFER's Flymake diagnostics, with their lines."
  (with-current-buffer buffer
    (mapcar (lambda (d)
              (cons (line-number-at-pos (flymake-diagnostic-beg d))
                    (flymake-diagnostic-text d)))
            (flymake-diagnostics))))

(defun tbls-test--wait (buffer done)
  "Wait until DONE, called with BUFFER's diagnostics, returns non-nil.
Fail after `tbls-test-timeout' seconds."
  (let ((deadline (+ (float-time) tbls-test-timeout))
        diags)
    (while (not (funcall done (setq diags (tbls-test--diagnostics buffer))))
      (when (> (float-time) deadline)
        (tbls-test--fail "%s: after %ss the diagnostics are %S"
                         (buffer-file-name buffer) tbls-test-timeout diags))
      ;; Reads the server's output and runs Flymake's timers.
      (accept-process-output nil 0.1))
    diags))

(defun tbls-test--faces (buffer)
  "Fail unless BUFFER's comment and TOKEN line have the faces of `tinybird-mode'."
  (with-current-buffer buffer
    (font-lock-ensure)
    (dolist (want '(("Top events" . font-lock-comment-face)
                    ("TOKEN" . font-lock-keyword-face)
                    ("app_read" . font-lock-variable-name-face)
                    ("APPEND" . font-lock-constant-face)
                    ("NODE" . font-lock-keyword-face)
                    ("endpoint" . font-lock-function-name-face)))
      (goto-char (point-min))
      (search-forward (car want))
      (let ((face (get-text-property (match-beginning 0) 'face)))
        (unless (memq (cdr want) (if (listp face) face (list face)))
          (tbls-test--fail "%S has the face %S, want %S" (car want) face (cdr want)))))
    (message "ok: %s: comment, TOKEN and NODE lines highlighted" (buffer-name))))

(let* ((tbls (tbls-test--getenv "TBLS"))
       (log (tbls-test--getenv "TBLS_LOG"))
       (pipe (tbls-test--getenv "TBLS_PIPE"))
       (datasource (tbls-test--getenv "TBLS_DATASOURCE")))
  ;; test.sh puts the binary first on PATH, so "tbls" is looked up as
  ;; users have it; the log file is the one addition.
  (unless (equal (executable-find "tbls") tbls)
    (tbls-test--fail "tbls on PATH is %s, want %s" (executable-find "tbls") tbls))
  (setq tbls-program (list "tbls" "-logfile" log "serve"))
  (add-hook 'tinybird-mode-hook #'eglot-ensure)

  (let* ((buffer (tbls-test--open pipe))
         (token-line (with-current-buffer buffer
                       (goto-char (point-min))
                       (re-search-forward "^TOKEN app_read APPEND")
                       (line-number-at-pos)))
         (diags (tbls-test--wait
                 buffer
                 (lambda (ds) (cl-some (lambda (d) (string-match-p "TB201" (cdr d))) ds))))
         (tb201 (cl-find-if (lambda (d) (string-match-p "TB201" (cdr d))) diags)))
    (unless (= (car tb201) token-line)
      (tbls-test--fail "TB201 on line %d, want the TOKEN line %d" (car tb201) token-line))
    (message "ok: %s: line %d: %s" (file-name-nondirectory pipe) (car tb201) (cdr tb201))
    (tbls-test--faces buffer)
    (with-current-buffer buffer
      (let ((project (eglot--project (eglot-current-server))))
        (message "ok: Eglot's project root for the pipe is %s" (project-root project)))))

  ;; A datasource is managed by the same server (one per project and
  ;; mode) and gets its own finding: TB202 on an unknown scope.
  (let* ((buffer (tbls-test--open datasource))
         (diags (tbls-test--wait
                 buffer
                 (lambda (ds) (cl-some (lambda (d) (string-match-p "TB202" (cdr d))) ds)))))
    (unless (eq (with-current-buffer buffer (eglot-current-server))
                (with-current-buffer (get-file-buffer pipe) (eglot-current-server)))
      (tbls-test--fail "the datasource and the pipe have different servers"))
    (message "ok: %s: %S" (file-name-nondirectory datasource) diags))

  ;; Go: the README's choice for a project without gopls, tbls alone for
  ;; go-mode (go-mode comes from the elpa-go-mode package on Debian).
  (let ((go-file (getenv "TBLS_GO")))
    (if (not (and go-file (require 'go-mode nil t)))
        (message "skip: Go buffers (no TBLS_GO or no go-mode)")
      (add-to-list 'eglot-server-programs
                   `((go-mode go-ts-mode) . ("tbls" "-logfile" ,log "serve")))
      (add-hook 'go-mode-hook #'eglot-ensure)
      (let* ((buffer (find-file-noselect go-file))
             (line (with-current-buffer buffer
                     (goto-char (point-min))
                     (search-forward "Scope: tinybird.Append")
                     (line-number-at-pos))))
        (with-current-buffer buffer
          (unless (derived-mode-p 'go-mode)
            (tbls-test--fail "%s opened in %s, want go-mode" go-file major-mode))
          (run-hooks 'post-command-hook)
          (unless (eglot-current-server)
            (tbls-test--fail "no Eglot server manages %s" go-file))
          (flymake-start))
        (let* ((diags (tbls-test--wait
                       buffer
                       (lambda (ds) (cl-some (lambda (d) (string-match-p "TB201" (cdr d))) ds))))
               (tb201 (cl-find-if (lambda (d) (string-match-p "TB201" (cdr d))) diags)))
          (unless (= (car tb201) line)
            (tbls-test--fail "TB201 on line %d, want %d" (car tb201) line))
          (message "ok: %s: line %d: %s" (file-name-nondirectory go-file) (car tb201) (cdr tb201)))
        (eglot-shutdown (with-current-buffer buffer (eglot-current-server))))))

  (eglot-shutdown (with-current-buffer (get-file-buffer pipe) (eglot-current-server)))
  (message "PASS")
  (kill-emacs 0))

;;; tbls-test.el ends here
